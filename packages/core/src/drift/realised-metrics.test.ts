import { describe, expect, it } from "vitest";
import { percentileInterval } from "../bootstrap/percentile-interval.js";
import { poissonWeight } from "../bootstrap/poisson-weight.js";
import { fmix32 } from "../bootstrap/row-hash.js";
import { METRICS } from "../metrics/registry.js";
import { createRng } from "../random/rng.js";
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

describe("realisedMetrics", () => {
  it("is each metric on the rows, with the percentile interval of the metric on each replicate's repeated rows", () => {
    const { labels, scores } = rows(80);
    const replicates = 40;
    const got = realisedMetrics(scores, labels, { threshold: 0.5, replicates, seed: 11 });
    for (const name of PERFORMANCE_METRICS) {
      const plain = (l: number[], s: number[]) =>
        METRICS[name].compute(l, s, { threshold: 0.5 }).value ?? Number.NaN;
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
      expect(got[name]!.value).toBeCloseTo(plain([...labels], [...scores]), 12);
      expect(got[name]!.ci![0]).toBeCloseTo(ci[0], 12);
      expect(got[name]!.ci![1]).toBeCloseTo(ci[1], 12);
    }
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
});
