import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import { BINARY_TALLY, type RowPass } from "../metrics/binary-pass.js";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { METRICS } from "../metrics/registry.js";
import { bootstrapMetrics } from "./bootstrap-metrics.js";
import { INFLUENCE_METRICS, influenceMoments } from "./influence-moments.js";
import { rowIdHash } from "./row-hash.js";
import { twoModelData } from "./two-models.test-helper.js";

const METRIC_LIST = [...INFLUENCE_METRICS];

/** Both models' passes over `d` and their moments for `groups` (with sample weights when given). */
function momentsOf(
  d: ReturnType<typeof twoModelData>,
  groups: number[],
  metrics: MetricName[] = METRIC_LIST,
  weights?: Float64Array,
) {
  const passes = d.scores.map((s) =>
    prepareBinaryPass({ labels: d.labels, scores: s, groupIds: d.groupIds, groups: 3 }, 0.5),
  );
  const moments = influenceMoments({
    models: passes.map((p) => p.data!),
    labels: d.labels,
    scores: d.scores,
    threshold: 0.5,
    ...(weights ? { weights } : {}),
    metrics,
    groups,
    value: (m, g, name) => value(passes[m]!, g, name, weights ?? null),
  });
  return { passes, moments };
}

const value = (pass: RowPass, g: number, name: MetricName, weights: Float64Array | null) => {
  const out = new Float64Array(pass.groups * pass.tallySize);
  pass.run(weights, out);
  return METRICS[name].fromTally("binary", out, g * pass.tallySize, 2).value!;
};

describe("influenceMoments", () => {
  // Each row's influence, by central differences of the weighted pass: the metric with row i's
  // weight wᵢ scaled by 1 ± ε, which gives ψᵢ = wᵢ ∂θ/∂wᵢ (φᵢ without sample weights, wᵢ = 1). A
  // replicate weighs row i wᵢ × Poissonᵢ, so it is θ̂ + Σ (Poissonᵢ − 1) ψᵢ to first order: Σψ² and
  // Σ δψ_a δψ_b must equal what influenceMoments computes analytically.
  it.each([
    ["distinct scores", 0, false],
    ["ties (scores on a 0.05 grid)", 0.05, false],
    ["distinct scores and sample weights", 0, true],
    ["ties and sample weights", 0.05, true],
  ])("equals the numerical derivative of every metric in every group, with %s", (_, step, weighted) => {
    const n = 90;
    const d = twoModelData({ n, seed: 11, prevalence: 0.4, step });
    // Uneven weights, some 0 (a removed row has no influence).
    const sample = weighted
      ? Float64Array.from({ length: n }, (_, i) => [0, 0.5, 1, 2.5, 4][(i * 7) % 5]!)
      : undefined;
    const { passes, moments } = momentsOf(d, [0, 1, 2], METRIC_LIST, sample);
    const eps = 1e-6;
    const base = sample ?? new Float64Array(n).fill(1);
    const w = Float64Array.from(base);
    const M = METRIC_LIST.length;
    for (const g of [0, 1, 2]) {
      const variance = [new Float64Array(M), new Float64Array(M)];
      const cov = new Float64Array(M * M);
      for (let i = 0; i < n; i++) {
        const psi = passes.map((pass) =>
          METRIC_LIST.map((name) => {
            w[i] = base[i]! * (1 + eps);
            const up = value(pass, g, name, w);
            w[i] = base[i]! * (1 - eps);
            const down = value(pass, g, name, w);
            w[i] = base[i]!;
            return (up - down) / (2 * eps);
          }),
        );
        for (let a = 0; a < M; a++) {
          variance[0]![a]! += psi[0]![a]! ** 2;
          variance[1]![a]! += psi[1]![a]! ** 2;
          for (let b = 0; b < M; b++)
            cov[a * M + b]! += (psi[0]![a]! - psi[1]![a]!) * (psi[0]![b]! - psi[1]![b]!);
        }
      }
      const got = moments.get(g)!;
      for (let a = 0; a < M; a++) {
        expect(variance[0]![a]!, METRIC_LIST[a]).toBeGreaterThan(0);
        for (const m of [0, 1]) expect(got.variance[m]![a]!, METRIC_LIST[a]).toBeCloseTo(variance[m]![a]!, 7);
        for (let b = 0; b < M; b++) expect(got.covariance![a * M + b]!).toBeCloseTo(cov[a * M + b]!, 7);
      }
    }
  });

  it.each([
    ["", false],
    [" with sample weights (replicate weight = weight × Poisson)", true],
  ])(
    "agrees with the per-row Poisson bootstrap's variance on 6,000 rows%s (within 12%), and ECE's bias with its mean",
    (_, weighted) => {
      const n = 6000;
      const d = twoModelData({ n, seed: 5, prevalence: 0.4, step: 0 });
      const sample = weighted
        ? Float64Array.from({ length: n }, (_, i) => [0.5, 1, 3, 0, 1.5][(i * 3) % 5]!)
        : undefined;
      const { passes, moments } = momentsOf(d, [0], METRIC_LIST, sample);
      const R = 400;
      const draws = bootstrapMetrics({
        task: "binary",
        passes,
        metrics: METRIC_LIST,
        groups: [0],
        rowHashes: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r${i}`)),
        ...(sample ? { weights: sample } : {}),
        seed: 3,
        from: 0,
        to: R,
      });
      const sd = (f: (r: number) => number) => {
        let s = 0;
        let s2 = 0;
        for (let r = 0; r < R; r++) {
          s += f(r);
          s2 += f(r) ** 2;
        }
        return Math.sqrt((s2 - (s * s) / R) / (R - 1));
      };
      METRIC_LIST.forEach((name, mi) => {
        const M = METRIC_LIST.length;
        const boot = sd((r) => draws[0]![r * M + mi]!);
        const delta = sd((r) => draws[0]![r * M + mi]! - draws[1]![r * M + mi]!);
        if (name === "ece") {
          // The replicates sit above the plug-in ECE by about eceBias (within 4 standard errors of their mean).
          let mean = 0;
          for (let r = 0; r < R; r++) mean += draws[0]![r * M + mi]! / R;
          const shift = mean - value(passes[0]!, 0, "ece", sample ?? null);
          expect(Math.abs(shift - moments.get(0)!.eceBias[0]!)).toBeLessThan((4 * boot) / Math.sqrt(R));
          expect(moments.get(0)!.eceBias[0]!).toBeGreaterThan(0);
        }
        expect(Math.sqrt(moments.get(0)!.variance[0]![mi]!) / boot, name).toBeGreaterThan(0.88);
        expect(Math.sqrt(moments.get(0)!.variance[0]![mi]!) / boot, name).toBeLessThan(1.12);
        expect(Math.sqrt(moments.get(0)!.covariance![mi * M + mi]!) / delta, name).toBeGreaterThan(0.88);
        expect(Math.sqrt(moments.get(0)!.covariance![mi * M + mi]!) / delta, name).toBeLessThan(1.12);
      });
    },
  );

  it("gives the same moments, bit for bit, whether the groupings are walked together or one at a time", () => {
    const n = 120;
    const d = twoModelData({ n, seed: 5, prevalence: 0.3, step: 0.05 });
    const weights = Float64Array.from({ length: n }, (_, i) => [0, 0.5, 1, 2.5, 4][(i * 3) % 5]!);
    const passes = d.scores.map((s) =>
      prepareBinaryPass({ labels: d.labels, scores: s, groupIds: d.groupIds, groups: 3 }, 0.5),
    );
    const moments = (rankBytes?: number) =>
      influenceMoments({
        models: passes.map((p) => p.data!),
        labels: d.labels,
        scores: d.scores,
        threshold: 0.5,
        weights,
        metrics: METRIC_LIST,
        groups: [0, 1, 2],
        value: (m, g, name) => value(passes[m]!, g, name, weights),
        ...(rankBytes !== undefined ? { rankBytes } : {}),
      });
    // Default: both groupings in one walk; 16 bytes a row: one grouping per walk.
    const together = moments();
    const apart = moments(16 * n);
    expect([...apart.keys()]).toEqual([0, 1, 2]);
    for (const g of [0, 1, 2]) expect(apart.get(g)).toEqual(together.get(g));
    expect(together.get(1)!.covariance!.some((v) => v !== 0)).toBe(true);
  });

  it("gives AUC and AP variances invariant under a monotone transform, and AUC variance 0 for constant scores", () => {
    const n = 500;
    const d = twoModelData({ n, seed: 9, prevalence: 0.4, step: 0 });
    const run = (scores: Float64Array<ArrayBuffer>[]) =>
      momentsOf({ ...d, scores }, [0, 1, 2], ["roc_auc", "average_precision"]).moments;
    const plain = run(d.scores);
    const squeezed = run(d.scores.map((s) => s.map((v) => 0.5 + 1e-3 * Math.atan(v) ** 3)));
    for (const g of [0, 1, 2]) {
      for (let k = 0; k < 2; k++) {
        expect(squeezed.get(g)!.variance[0]![k]!).toBeCloseTo(plain.get(g)!.variance[0]![k]!, 14);
        expect(squeezed.get(g)!.covariance![k * 2 + k]!).toBeCloseTo(
          plain.get(g)!.covariance![k * 2 + k]!,
          14,
        );
      }
    }
    const constant = run([new Float64Array(n).fill(0.3), new Float64Array(n).fill(0.7)]);
    expect(constant.get(0)!.variance[0]![0]).toBe(0);
    expect(constant.get(0)!.covariance![0]).toBe(0);
    // The pass agrees that both AUCs are 0.5, so the change is 0 with variance 0.
    const pass = prepareBinaryPass(
      { labels: d.labels, scores: new Float64Array(n).fill(0.3), groupIds: d.groupIds, groups: 3 },
      0.5,
    );
    const out = new Float64Array(3 * pass.tallySize);
    pass.run(null, out);
    expect(out[BINARY_TALLY.AUC]! / (out[BINARY_TALLY.POS]! * out[BINARY_TALLY.NEG]!)).toBe(0.5);
  });
});
