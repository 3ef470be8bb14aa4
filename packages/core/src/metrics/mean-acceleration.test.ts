import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import { createRng } from "../random/rng.js";
import { prepareBinaryPass } from "./prepare-binary-pass.js";

/**
 * The plain definition, one metric and one group at a time, in input row order: the rows of group
 * g that count for the metric, `u = w·(v − Σwv / Σw)`, `Σu³ / (6 (Σu²)^{3/2})`.
 */
function plainAcceleration(
  labels: Float64Array,
  scores: Float64Array,
  weights: Float64Array | undefined,
  inGroup: (i: number) => boolean,
  threshold: number,
  metric: MetricName,
): number {
  const values: [number, number][] = [];
  for (let i = 0; i < labels.length; i++) {
    if (!inGroup(i)) continue;
    const y = labels[i]!;
    const p = scores[i]!;
    const predicted = p >= threshold ? 1 : 0;
    const q = Math.min(Math.max(y === 1 ? p : 1 - p, Number.EPSILON), 1 - Number.EPSILON);
    const w = weights ? weights[i]! : 1;
    if (metric === "log_loss") values.push([w, -Math.log(q)]);
    if (metric === "brier") values.push([w, (y - p) * (y - p)]);
    if (metric === "accuracy") values.push([w, predicted === y ? 1 : 0]);
    if (metric === "recall" && y === 1) values.push([w, predicted]);
    if (metric === "precision" && predicted === 1) values.push([w, y]);
  }
  const total = values.reduce((s, [w]) => s + w, 0);
  const mean = values.reduce((s, [w, v]) => s + w * v, 0) / total;
  const u = values.map(([w, v]) => w * (v - mean));
  const u2 = u.reduce((s, x) => s + x * x, 0);
  const u3 = u.reduce((s, x) => s + x * x * x, 0);
  return u2 > 0 ? u3 / (6 * u2 ** 1.5) : 0;
}

const MEANS: MetricName[] = ["log_loss", "brier", "accuracy", "recall", "precision"];

describe("the mean-type metrics' BCa acceleration of a binary pass", () => {
  // Awkward data: scores on a coarse grid in a narrow range (many ties, some at the threshold),
  // a slice of 3 rows, a slice with no positives, a slice without rows, with and without weights.
  const n = 600;
  const rng = createRng("mean-acceleration");
  const labels = Float64Array.from({ length: n }, () => rng.bernoulli(0.3));
  const scores = Float64Array.from({ length: n }, () => 0.48 + Math.floor(rng.next() * 5) * 0.01);
  const weights = Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? 0 : 0.5 + rng.next() * 3));
  // Grouping 1: slices 1..3 (slice 3 = 3 rows); grouping 2: slice 4 (no positives), 5 the rest; 6 empty.
  const first = Uint8Array.from({ length: n }, (_, i) => (i < 3 ? 3 : 1 + (i % 2)));
  const second = Uint8Array.from({ length: n }, (_, i) => (labels[i] === 0 && i % 3 === 0 ? 4 : 5));
  const passOf = (w: Float64Array | undefined) =>
    prepareBinaryPass(
      {
        labels,
        scores,
        groupIds: [new Uint8Array(n), first, second],
        groups: 7,
        ...(w ? { weights: w } : {}),
      },
      0.5,
    );
  for (const weighted of [false, true]) {
    it(`equals the plain definition in every group, exactly (${weighted ? "sample weights" : "unweighted"})`, () => {
      const w = weighted ? weights : undefined;
      const pass = passOf(w);
      const groupOf = [() => true, ...[1, 2, 3].map((g) => (i: number) => first[i] === g)];
      groupOf.push(...[4, 5, 6].map((g) => (i: number) => second[i] === g));
      let spread = 0;
      for (let g = 0; g < 7; g++) {
        for (const metric of MEANS) {
          const expected = plainAcceleration(labels, scores, w, groupOf[g]!, 0.5, metric);
          // Sums in another row order (the pass walks rows by descending score) agree to rounding.
          expect(pass.acceleration!(g, metric)).toBeCloseTo(expected, 12);
          if (expected !== 0) spread++;
        }
      }
      // The data exercise the formula: most groups and metrics have a skew; the empty group's is 0.
      expect(spread).toBeGreaterThan(20);
      expect(pass.acceleration!(6, "log_loss")).toBe(0);
      expect(pass.acceleration!(0, "roc_auc")).toBeUndefined();
      // A group asked first (its rows alone) gets exactly what its whole grouping's walk gave.
      const fresh = passOf(w);
      for (const g of [3, 5, 2, 4]) {
        for (const metric of MEANS)
          expect(fresh.acceleration!(g, metric)).toBe(pass.acceleration!(g, metric));
      }
    });
  }
});
