import { describe, expect, it } from "vitest";
import { bootstrapMetrics } from "../bootstrap/bootstrap-metrics.js";
import { evaluate } from "../bootstrap/evaluate.js";
import { GAUSSIAN_MIN_COUNT } from "../bootstrap/influence-moments.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { regionInput, twoModelData } from "../bootstrap/two-models.test-helper.js";
import { customMetricsOf } from "../manifest/schema-operating.js";
import { confusionFromTally } from "./confusion.js";
import { cellSquares, countsGradient, countsStandardErrors, rowsMoments } from "./custom-influence.js";
import { countsMetricFromTally, rowValues } from "./custom-values.js";
import { prepareBinaryPass } from "./prepare-binary-pass.js";

const [threat, netPerRow, absError] = customMetricsOf(
  {
    "custom-metrics": {
      threat: { from: "counts", expression: "tp / (tp + fp + fn)", direction: "higher" },
      net: { from: "counts", expression: "(tp - 3 * fp) / n", direction: "higher" },
      abs_error: { from: "rows", expression: "abs(label - score)", direction: "lower" },
    },
  },
  "binary",
);

describe("countsGradient", () => {
  it("equals the analytic gradient, n included as the sum of the counts", () => {
    const c = { tp: 30, fp: 10, fn: 5, tn: 55 };
    const g = countsGradient(threat!, c);
    // threat = tp / (tp + fp + fn): ∂tp = (fp + fn)/s², ∂fp = ∂fn = −tp/s², ∂tn = 0.
    expect(g[0]).toBeCloseTo(15 / 45 ** 2, 9);
    expect(g[1]).toBeCloseTo(-30 / 45 ** 2, 9);
    expect(g[2]).toBeCloseTo(-30 / 45 ** 2, 9);
    expect(g[3]).toBe(0);
    const h = countsGradient(netPerRow!, c);
    // (tp − 3fp)/n: ∂tp = 1/n − v/n, ∂fp = −3/n − v/n, ∂fn = ∂tn = −v/n with v = 0 here (30 − 30 = 0).
    expect(h[0]).toBeCloseTo(0.01, 9);
    expect(h[1]).toBeCloseTo(-0.03, 9);
    expect(h[2]).toBeCloseTo(0, 9);
  });
});

describe("custom metrics' first-order moments", () => {
  it.each([false, true])(
    "equal the numerical derivative of the metric in every row's weight (sample weights: %s)",
    (weighted) => {
      const n = 70;
      const d = twoModelData({ n, seed: 8, prevalence: 0.4 });
      const sample = weighted
        ? Float64Array.from({ length: n }, (_, i) => [0, 0.5, 1, 2.5][(i * 3) % 4]!)
        : undefined;
      const passes = d.scores.map((s) =>
        prepareBinaryPass({ labels: d.labels, scores: s, groupIds: d.groupIds, groups: 3 }, 0.5),
      );
      const tally = (m: number, w: Float64Array | null) => {
        const out = new Float64Array(3 * passes[m]!.tallySize);
        passes[m]!.run(w, out);
        return out;
      };
      const squares = cellSquares(d.labels, d.scores, 0.5, d.groupIds, 3, sample);
      const rows = d.scores.map((s) =>
        rowValues(absError!, { task: "binary", labels: d.labels, scores: s, threshold: 0.5, classes: 2 }),
      );
      const base = sample ?? new Float64Array(n).fill(1);
      const w = Float64Array.from(base);
      const mean = (m: number, g: number, weights: Float64Array) => {
        let s = 0;
        let t = 0;
        for (let i = 0; i < n; i++)
          if (d.groupIds.some((ids) => ids[i] === g)) {
            s += weights[i]! * rows[m]![i]!;
            t += weights[i]! * 1;
          }
        return { value: s / t, total: t };
      };
      const means = [0, 1].map((m) => [0, 1, 2].map((g) => mean(m, g, base).value));
      const moments = rowsMoments(
        rows,
        d.groupIds,
        3,
        means,
        Float64Array.from([0, 1, 2], (g) => mean(0, g, base).total),
        sample,
      );
      const eps = 1e-6;
      for (const spec of [threat!, netPerRow!]) {
        for (const g of [0, 1, 2]) {
          const o = g * passes[0]!.tallySize;
          const at = (m: number, weights: Float64Array | null) =>
            countsMetricFromTally(spec, tally(m, weights), o).value!;
          const expected = [0, 0];
          let expectedDelta = 0;
          for (let i = 0; i < n; i++) {
            const psi = [0, 1].map((m) => {
              w[i] = base[i]! * (1 + eps);
              const up = at(m, w);
              w[i] = base[i]! * (1 - eps);
              const down = at(m, w);
              w[i] = base[i]!;
              return (up - down) / (2 * eps);
            });
            expected[0]! += psi[0]! ** 2;
            expected[1]! += psi[1]! ** 2;
            expectedDelta += (psi[0]! - psi[1]!) ** 2;
          }
          const gradients = [0, 1].map((m) =>
            countsGradient(spec, confusionFromTally(tally(m, sample ?? null), o)),
          );
          const got = countsStandardErrors(gradients, squares, g, 3);
          expect(got.se[0]! ** 2 / expected[0]!, `${spec.name} group ${g}`).toBeCloseTo(1, 5);
          expect(got.se[1]! ** 2 / expected[1]!).toBeCloseTo(1, 5);
          expect(got.deltaSe! ** 2 / expectedDelta).toBeCloseTo(1, 5);
          // 70 rows: far below the Gaussian minimum.
          expect(got.gaussian).toBe(false);
        }
      }
      for (const g of [0, 1, 2]) {
        const expected = [0, 0];
        let expectedDelta = 0;
        for (let i = 0; i < n; i++) {
          const psi = [0, 1].map((m) => {
            w[i] = base[i]! * (1 + eps);
            const up = mean(m, g, w).value;
            w[i] = base[i]! * (1 - eps);
            const down = mean(m, g, w).value;
            w[i] = base[i]!;
            return (up - down) / (2 * eps);
          });
          expected[0]! += psi[0]! ** 2;
          expected[1]! += psi[1]! ** 2;
          expectedDelta += (psi[0]! - psi[1]!) ** 2;
        }
        expect(moments.squares[g]! / expected[0]!, `rows group ${g}`).toBeCloseTo(1, 5);
        expect(moments.squares[3 + g]! / expected[1]!).toBeCloseTo(1, 5);
        expect(moments.deltaSquares[g]! / expectedDelta).toBeCloseTo(1, 5);
      }
    },
  );

  it("give the per-row Poisson bootstrap's variance of a counts metric on 6,000 rows (within 12%)", () => {
    const n = 6000;
    const d = twoModelData({ n, seed: 3, prevalence: 0.4 });
    const passes = d.scores.map((s) =>
      prepareBinaryPass({ labels: d.labels, scores: s, groupIds: d.groupIds, groups: 3 }, 0.5),
    );
    const out = new Float64Array(3 * passes[0]!.tallySize);
    passes[0]!.run(null, out);
    const gradient = countsGradient(threat!, confusionFromTally(out, 0));
    const se = countsStandardErrors(
      [gradient],
      cellSquares(d.labels, [d.scores[0]!], 0.5, d.groupIds, 3),
      0,
      3,
    ).se[0]!;
    const R = 400;
    const draws = bootstrapMetrics({
      task: "binary",
      passes: [passes[0]!],
      metrics: [],
      readers: [{ fromTally: (_t, t, o) => countsMetricFromTally(threat!, t, o) }],
      groups: [0],
      rowHashes: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r${i}`)),
      seed: 2,
      from: 0,
      to: R,
    })[0]!;
    const m = draws.reduce((s, v) => s + v, 0) / R;
    const variance = draws.reduce((s, v) => s + (v - m) ** 2, 0) / (R - 1);
    expect(se ** 2 / variance).toBeGreaterThan(0.88);
    expect(se ** 2 / variance).toBeLessThan(1.12);
  });
});

describe("custom metrics in evaluate", () => {
  it("take Gaussian intervals in a large group and the bootstrap in a small one, point inside", () => {
    const n = 4 * GAUSSIAN_MIN_COUNT;
    const d = twoModelData({ n, seed: 17, prevalence: 0.4 });
    const e = evaluate({
      ...regionInput(d, 300),
      metrics: ["roc_auc"],
      custom: [threat!, absError!],
      threshold: 0.5,
      bootstrap: 200,
      seed: 4,
    });
    const small = e.slices.find((s) => s.key.region === "small")!;
    for (const name of ["threat", "abs_error"]) {
      const overall = (
        e.overall.metrics as Record<string, { value: number; ci: [number, number]; intervals?: string }>
      )[name]!;
      // 4,000 rows: tp + fp + fn (what threat averages over) and every row (abs_error) exceed 1,000.
      expect(overall.intervals, name).toBe("gaussian");
      expect(overall.ci[0]).toBeLessThan(overall.value);
      expect(overall.ci[1]).toBeGreaterThan(overall.value);
      const delta = (e.baseline!.overall.delta as Record<string, { intervals?: string; ci: unknown }>)[name]!;
      expect(delta.intervals).toBe("gaussian");
      expect(delta.ci).not.toBeNull();
      const inSmall = (small.metrics as Record<string, { intervals?: string; ci: unknown }>)[name]!;
      expect(inSmall.intervals).toBeUndefined();
      expect(inSmall.ci).not.toBeNull();
    }
  });
});
