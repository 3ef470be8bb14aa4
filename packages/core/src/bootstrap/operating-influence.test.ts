import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import type { RowPass } from "../metrics/binary-pass.js";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { METRICS } from "../metrics/registry.js";
import { groupIdArray } from "../slicing/group-ids.js";
import { bootstrapMetrics } from "./bootstrap-metrics.js";
import { evaluate } from "./evaluate.js";
import { GAUSSIAN_MIN_COUNT, influenceMoments } from "./influence-moments.js";
import { percentileInterval } from "./percentile-interval.js";
import { rowIdHash } from "./row-hash.js";
import { regionInput, twoModelData } from "./two-models.test-helper.js";

// The metrics at the fixed threshold that are means (issue 15 items 4–5): the cost metric `value`,
// the false-positive rate and the selection rate. Their influence functions are pinned the way
// influence-moments.test.ts pins the others: ψᵢ = wᵢ ∂θ/∂wᵢ by central differences of the pass.

const FIXED: MetricName[] = ["value", "fpr", "selection_rate"];
const COSTS = { tp: 120, fp: -15, fn: -120, tn: 2 };

const passesOf = (d: ReturnType<typeof twoModelData>) =>
  d.scores.map((s) =>
    prepareBinaryPass({ labels: d.labels, scores: s, groupIds: d.groupIds, groups: 3 }, 0.5, {
      costs: COSTS,
    }),
  );

const metricAt = (pass: RowPass, g: number, name: MetricName, weights: Float64Array | null) => {
  const out = new Float64Array(pass.groups * pass.tallySize);
  pass.run(weights, out);
  return METRICS[name].fromTally("binary", out, g * pass.tallySize, 2).value!;
};

describe("influence of the cost metric, fpr and selection rate at the threshold", () => {
  it.each([false, true])(
    "equals the numerical derivative in every group (sample weights: %s)",
    (weighted) => {
      const n = 80;
      const d = twoModelData({ n, seed: 21, prevalence: 0.35 });
      const sample = weighted
        ? Float64Array.from({ length: n }, (_, i) => [0, 0.5, 1, 3][(i * 5) % 4]!)
        : null;
      const passes = passesOf(d);
      const moments = influenceMoments({
        models: passes.map((p) => p.data!),
        labels: d.labels,
        scores: d.scores,
        threshold: 0.5,
        costs: COSTS,
        ...(sample ? { weights: sample } : {}),
        metrics: FIXED,
        groups: [0, 1, 2],
        value: (m, g, name) => metricAt(passes[m]!, g, name, sample),
      });
      const base = sample ?? new Float64Array(n).fill(1);
      const w = Float64Array.from(base);
      const eps = 1e-6;
      const M = FIXED.length;
      for (const g of [0, 1, 2]) {
        const variance = [new Float64Array(M), new Float64Array(M)];
        const cov = new Float64Array(M * M);
        for (let i = 0; i < n; i++) {
          const psi = passes.map((pass) =>
            FIXED.map((name) => {
              w[i] = base[i]! * (1 + eps);
              const up = metricAt(pass, g, name, w);
              w[i] = base[i]! * (1 - eps);
              const down = metricAt(pass, g, name, w);
              w[i] = base[i]!;
              return (up - down) / (2 * eps);
            }),
          );
          for (let a = 0; a < M; a++) {
            for (const m of [0, 1]) variance[m]![a]! += psi[m]![a]! ** 2;
            for (let b = 0; b < M; b++)
              cov[a * M + b]! += (psi[0]![a]! - psi[1]![a]!) * (psi[0]![b]! - psi[1]![b]!);
          }
        }
        const got = moments.get(g)!;
        for (let a = 0; a < M; a++) {
          expect(variance[0]![a]!, FIXED[a]).toBeGreaterThan(0);
          for (const m of [0, 1])
            expect(got.variance[m]![a]! / variance[m]![a]!, `${FIXED[a]} group ${g}`).toBeCloseTo(1, 6);
          for (let b = 0; b < M; b++)
            expect(got.covariance![a * M + b]!).toBeCloseTo(
              cov[a * M + b]!,
              Math.abs(cov[a * M + b]!) > 1 ? 3 : 7,
            );
        }
      }
    },
  );

  it("gives the per-row Poisson bootstrap's variance on 6,000 rows (within 12%)", () => {
    const n = 6000;
    const d = twoModelData({ n, seed: 4, prevalence: 0.35 });
    const passes = passesOf(d);
    const moments = influenceMoments({
      models: passes.map((p) => p.data!),
      labels: d.labels,
      scores: d.scores,
      threshold: 0.5,
      costs: COSTS,
      metrics: FIXED,
      groups: [0],
      value: (m, g, name) => metricAt(passes[m]!, g, name, null),
    });
    const R = 400;
    const draws = bootstrapMetrics({
      task: "binary",
      passes,
      metrics: FIXED,
      groups: [0],
      rowHashes: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r${i}`)),
      seed: 9,
      from: 0,
      to: R,
    });
    FIXED.forEach((name, mi) => {
      const x = Array.from({ length: R }, (_, r) => draws[0]![r * FIXED.length + mi]!);
      const mean = x.reduce((s, v) => s + v, 0) / R;
      const bootVariance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (R - 1);
      // 400 replicates estimate a variance within about ±14% (2 SE); 12% is the agreement asked.
      expect(moments.get(0)!.variance[0]![mi]! / bootVariance, name).toBeGreaterThan(0.88);
      expect(moments.get(0)!.variance[0]![mi]! / bootVariance, name).toBeLessThan(1.12);
    });
  });

  it("routes them Gaussian in a large group and bootstraps them in a small one, point inside the interval", () => {
    const n = 2 * GAUSSIAN_MIN_COUNT + 400;
    const d = twoModelData({ n, seed: 33, prevalence: 0.35 });
    const e = evaluate({
      ...regionInput(d, 200),
      metrics: [...FIXED, "f1_max"],
      operating: { costs: COSTS },
      threshold: 0.5,
      bootstrap: 200,
      seed: 1,
    });
    const small = e.slices.find((s) => s.key.region === "small")!;
    for (const name of FIXED) {
      const r = e.overall.metrics[name]!;
      // Over 2,400 rows (1,500+ negatives): Gaussian; f1_max (threshold chosen on the data): bootstrap.
      expect(r.intervals, name).toBe("gaussian");
      expect(r.ci![0]).toBeLessThanOrEqual(r.value!);
      expect(r.ci![1]).toBeGreaterThanOrEqual(r.value!);
      expect(r.ci![1]).toBeGreaterThan(r.ci![0]);
      expect(small.metrics[name]!.ci).not.toBeNull();
      expect(small.intervals).toBe("bootstrap");
      expect(e.baseline!.overall.delta[name]!.intervals).toBe("gaussian");
    }
    expect(e.overall.metrics.f1_max!.intervals).toBe("bootstrap");
  });
});

describe("maxima over thresholds chosen on the data", () => {
  it("take the basic bootstrap interval (f1_max, value_max): the replicates reflected about the point", () => {
    const n = 160;
    const d = twoModelData({ n, seed: 5, prevalence: 0.35 });
    const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`m${i}`));
    const R = 300;
    const e = evaluate({
      task: "binary",
      labels: d.labels,
      scores: d.scores[0]!,
      rowIds,
      sliceColumns: new Map(),
      specs: [],
      metrics: ["f1_max", "value_max"],
      operating: { costs: COSTS },
      threshold: 0.5,
      bootstrap: R,
      seed: 6,
    });
    const overall = groupIdArray(n, 1);
    const pass = prepareBinaryPass(
      { labels: d.labels, scores: d.scores[0]!, groupIds: [overall], groups: 1 },
      0.5,
      {
        costs: COSTS,
      },
    );
    const names: MetricName[] = ["f1_max", "value_max"];
    const draws = bootstrapMetrics({
      task: "binary",
      passes: [pass],
      metrics: names,
      groups: [0],
      rowHashes: rowIds,
      seed: 6,
      from: 0,
      to: R,
    })[0]!;
    names.forEach((name, mi) => {
      const r = e.overall.metrics[name]!;
      const v = r.value!;
      const [lo, hi] = percentileInterval(
        Float64Array.from({ length: R }, (_, k) => draws[k * names.length + mi]!),
        0.95,
      ).ci!;
      const [min, max] = METRICS[name].range;
      const basic = [Math.min(v, Math.max(min, 2 * v - hi)), Math.max(v, Math.min(max, 2 * v - lo))];
      expect(r.ci![0], name).toBeCloseTo(basic[0]!, 10);
      expect(r.ci![1], name).toBeCloseTo(basic[1]!, 10);
    });
  });
});
