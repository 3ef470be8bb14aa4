import { describe, expect, it } from "vitest";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { assembleEvaluation } from "./assemble-evaluation.js";
import { bcaLevels } from "./bca-levels.js";
import { percentileInterval } from "./percentile-interval.js";

describe("bcaLevels", () => {
  const symmetric = Float64Array.from({ length: 1001 }, (_, i) => (i - 500) / 100);
  it("is the percentile interval's levels without bias or acceleration", () => {
    const [low, high] = bcaLevels(symmetric, 0, 0, 0.95);
    expect(low).toBeCloseTo(0.025, 6);
    expect(high).toBeCloseTo(0.975, 6);
  });
  it("moves both ends up for a right-skewed statistic (a > 0) and with the replicates' median bias", () => {
    const [low, high] = bcaLevels(symmetric, 0, 0.05, 0.95);
    expect(low).toBeGreaterThan(0.025);
    expect(high).toBeGreaterThan(0.975);
    // Most replicates below the estimate: z0 > 0, the levels move up too.
    const [l2, h2] = bcaLevels(symmetric, 2, 0, 0.95);
    expect(l2).toBeGreaterThan(0.025);
    expect(h2).toBeGreaterThan(0.975);
    expect(h2).toBeLessThan(1);
  });
  it("stays finite when every replicate is on one side, and ignores undefined ones", () => {
    const [low, high] = bcaLevels(Float64Array.of(1, 2, 3, Number.NaN), 0, 0, 0.95);
    expect(low).toBeGreaterThan(0);
    expect(high).toBeLessThan(1);
  });
});

/** The empirical-influence acceleration `Σu³ / (6 (Σu²)^{3/2})` of a mean of `values`. */
function skew(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const u2 = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  const u3 = values.reduce((a, v) => a + (v - mean) ** 3, 0);
  return u3 / (6 * u2 ** 1.5);
}

describe("BCa in the evaluation", () => {
  it("reads the pass's acceleration for mean-type metrics: log loss, Brier, accuracy, recall, precision", () => {
    const labels = [1, 0, 0, 1, 0, 0, 1, 0];
    const scores = [0.9, 0.2, 0.6, 0.4, 0.1, 0.05, 0.7, 0.3];
    const pass = prepareBinaryPass({ labels, scores, groupIds: [new Uint8Array(8)], groups: 1 }, 0.5);
    const losses = labels.map((y, i) => -Math.log(y === 1 ? scores[i]! : 1 - scores[i]!));
    expect(pass.acceleration!(0, "log_loss")).toBeCloseTo(skew(losses), 12);
    // Recall: over the positives (0.9, 0.4, 0.7), predicted positive at 0.5: 1, 0, 1.
    expect(pass.acceleration!(0, "recall")).toBeCloseTo(skew([1, 0, 1]), 12);
    expect(pass.acceleration!(0, "roc_auc")).toBeUndefined();
  });

  it("reads each group's acceleration over its own rows in any grouping, 0 for a group without rows", () => {
    const labels = [1, 0, 0, 1, 0, 0, 1, 0];
    const scores = [0.9, 0.2, 0.6, 0.4, 0.1, 0.05, 0.7, 0.3];
    // Grouping 0: every row in group 0; grouping 1: rows 0–3 in group 1, rows 4–7 in group 2; group 3 empty.
    const groupIds = [new Uint8Array(8), Uint8Array.of(1, 1, 1, 1, 2, 2, 2, 2)];
    const pass = prepareBinaryPass({ labels, scores, groupIds, groups: 4 }, 0.5);
    const losses = labels.map((y, i) => -Math.log(y === 1 ? scores[i]! : 1 - scores[i]!));
    expect(pass.acceleration!(2, "log_loss")).toBeCloseTo(skew(losses.slice(4)), 12);
    expect(pass.acceleration!(1, "log_loss")).toBeCloseTo(skew(losses.slice(0, 4)), 12);
    expect(pass.acceleration!(0, "log_loss")).toBeCloseTo(skew(losses), 12);
    expect(pass.acceleration!(3, "log_loss")).toBe(0);
  });

  it("gives a mean-type metric the percentile interval at the BCa levels", () => {
    const draws = Float64Array.from({ length: 400 }, (_, i) => 0.3 + ((i * 37) % 400) / 4000);
    const parts = {
      rows: 100,
      slices: [],
      metrics: ["log_loss"] as const,
      point: () => ({ value: 0.35 }),
      models: 1,
      active: [0],
      draws: [draws],
      replicates: 400,
      confidence: 0.95,
      minSize: 30,
    };
    const plain = assembleEvaluation(parts).overall.metrics.log_loss!.ci;
    const bca = assembleEvaluation({ ...parts, acceleration: () => 0.08 }).overall.metrics.log_loss!.ci;
    expect(bca).toEqual(percentileInterval(draws, 0.95, bcaLevels(draws, 0.35, 0.08, 0.95)).ci);
    // The replicates centre on the estimate (no median bias), so a > 0 moves both ends up.
    expect(bca![0]).toBeGreaterThan(plain![0]);
    expect(bca![1]).toBeGreaterThan(plain![1]);
  });
});
