import { describe, expect, it } from "vitest";
import { evaluate } from "../bootstrap/evaluate.js";
import { percentileInterval } from "../bootstrap/percentile-interval.js";
import { poissonWeight } from "../bootstrap/poisson-weight.js";
import { fmix32 } from "../bootstrap/row-hash.js";
import { METRICS } from "../metrics/registry.js";
import { createRng } from "../random/rng.js";
import type { Evaluation } from "../results/evaluation.js";
import type { EstimatedValue } from "./drift-result.js";
import { PERFORMANCE_METRICS, realisedMetrics } from "./realised-metrics.js";

/** Awkward labelled rows: scores on a 0.01 grid in [0.45, 0.55] (ties everywhere, the threshold inside). */
function rows(n: number, seed = 3) {
  const rng = createRng(seed);
  const rnd = () => rng.next();
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.35 ? 1 : 0;
    scores[i] = 0.45 + Math.round((0.03 * labels[i]! + 0.07 * rnd()) * 100) / 100;
  }
  return { labels, scores };
}

/** Scores that separate the classes: half positives, scores spread over (0, 1). */
function separated(n: number, seed = 5) {
  const rng = createRng(seed);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.next() < 0.5 ? 1 : 0;
    scores[i] = Math.min(0.999, Math.max(0.001, 0.3 + 0.3 * labels[i]! + 0.3 * (rng.next() - 0.5)));
  }
  return { labels, scores };
}

/** evaluate on the rows in their order, one group, row i hashed fmix32(i + 1). */
function evaluateRows(
  labels: Float64Array,
  scores: Float64Array,
  bootstrap: number,
  seed: number,
  threshold = 0.5,
) {
  return evaluate({
    task: "binary",
    labels,
    scores,
    rowIds: Uint32Array.from(labels, (_, i) => fmix32(i + 1)),
    sliceColumns: new Map(),
    specs: [],
    metrics: PERFORMANCE_METRICS,
    threshold,
    bootstrap,
    seed,
  });
}

function expectSameAsEvaluate(got: Record<string, EstimatedValue>, evaluation: Evaluation) {
  for (const name of PERFORMANCE_METRICS) {
    const want = evaluation.overall.metrics[name]!;
    expect(got[name]!.value).toBeCloseTo(want.value!, 12);
    expect(got[name]!.ci![0]).toBeCloseTo(want.ci![0], 12);
    expect(got[name]!.ci![1]).toBeCloseTo(want.ci![1], 12);
  }
}

describe("realisedMetrics", () => {
  it("bootstraps a small window: ROC AUC's percentile interval of each replicate's repeated rows, every metric evaluate's on the rows", () => {
    const { labels, scores } = rows(80);
    const replicates = 40;
    const got = realisedMetrics(scores, labels, { threshold: 0.5, replicates, seed: 11 });
    const plain = (l: number[], s: number[]) =>
      METRICS.roc_auc.compute(l, s, { threshold: 0.5 }).value ?? Number.NaN;
    // Replicate r repeats row i poissonWeight(fmix32(i + 1), seed, r) times: the plain definition.
    const draws = Float64Array.from({ length: replicates }, (_, r) => {
      const l: number[] = [];
      const s: number[] = [];
      labels.forEach((y, i) => {
        for (let k = poissonWeight(fmix32(i + 1), 11, r); k > 0; k--) {
          l.push(y);
          s.push(scores[i]!);
        }
      });
      return plain(l, s);
    });
    const ci = percentileInterval(draws, 0.95).ci!;
    expect(got.roc_auc!.value).toBeCloseTo(plain([...labels], [...scores]), 12);
    expect(got.roc_auc!.ci![0]).toBeCloseTo(ci[0], 12);
    expect(got.roc_auc!.ci![1]).toBeCloseTo(ci[1], 12);
    const evaluation = evaluateRows(labels, scores, replicates, 11);
    expect(evaluation.overall.intervals).toBe("bootstrap");
    expectSameAsEvaluate(got, evaluation);
  });

  it("takes evaluate's Gaussian interval on a large window (2,000+ of each class), the same numbers", () => {
    const { labels, scores } = separated(6000);
    const got = realisedMetrics(scores, labels, { threshold: 0.5, seed: 7 });
    const evaluation = evaluateRows(labels, scores, 200, 7);
    expect(evaluation.overall.intervals).toBe("gaussian");
    expectSameAsEvaluate(got, evaluation);
    // The Gaussian interval is symmetric about the value where the range does not cut it.
    const auc = got.roc_auc!;
    expect(auc.ci![1] - auc.value!).toBeCloseTo(auc.value! - auc.ci![0], 12);
  });

  it("bootstraps only the metric whose count is small on a large window (few predicted positives: precision)", () => {
    const { labels, scores } = separated(6000);
    const got = realisedMetrics(scores, labels, { threshold: 0.99, seed: 7 });
    const evaluation = evaluateRows(labels, scores, 200, 7, 0.99);
    expect(evaluation.overall.intervals).toBe("mixed");
    expect(evaluation.overall.metrics.precision!.intervals).toBe("bootstrap");
    expect(evaluation.overall.metrics.roc_auc!.intervals).toBe("gaussian");
    expectSameAsEvaluate(got, evaluation);
  });

  it("has no intervals without replicates, and says why a metric is undefined", () => {
    const { labels, scores } = rows(50);
    const got = realisedMetrics(scores, labels, { threshold: 0.5, replicates: 0 });
    expect(got.accuracy).toEqual({
      value: METRICS.accuracy.compute(labels, scores, { threshold: 0.5 }).value,
      ci: null,
    });
    const positives = realisedMetrics(scores, new Float64Array(50).fill(1), { threshold: 0.5 });
    expect(positives.roc_auc!.value).toBeNull();
    expect(positives.roc_auc!.reason).toMatch(/class/);
    expect(positives.recall!.value).toBe(
      METRICS.recall.compute(new Float64Array(50).fill(1), scores, { threshold: 0.5 }).value,
    );
  });

  it("hashes row i as fmix32(i + 1) whatever was evaluated before (the kept hashes of a longer sample, then a shorter one)", () => {
    const small = rows(90, 4);
    const before = realisedMetrics(small.scores, small.labels, { threshold: 0.5, replicates: 30, seed: 3 });
    const large = rows(70_000, 6);
    realisedMetrics(large.scores, large.labels, { threshold: 0.5, replicates: 0 });
    const after = realisedMetrics(small.scores, small.labels, { threshold: 0.5, replicates: 30, seed: 3 });
    expect(after).toEqual(before);
    // A bootstrapped window past the first sample's length: evaluate's replicates on those hashes.
    const window = rows(2_500, 8);
    const got = realisedMetrics(window.scores, window.labels, { threshold: 0.5, replicates: 30, seed: 3 });
    expect(got).toEqual(
      realisedMetrics(window.scores, window.labels, { threshold: 0.5, replicates: 30, seed: 3 }),
    );
    const evaluation = evaluateRows(window.labels, window.scores, 30, 3);
    expect(evaluation.overall.metrics.roc_auc!.intervals).toBe("bootstrap");
    for (const name of PERFORMANCE_METRICS) {
      const want = evaluation.overall.metrics[name]!;
      expect(got[name]).toEqual({ value: want.value, ci: want.ci });
    }
  });
});
