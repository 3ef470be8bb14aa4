import { classF1FromTally } from "./class-f1.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { MT } from "./multiclass-pass.js";
import { tallyOf } from "./tally.js";

/**
 * Weighted F1 from a multiclass tally: per-class F1 averaged with the classes' weighted supports.
 *
 * @example
 * f1WeightedFromTally(Float64Array.of(3, 2, 0, 2, 2, 2, 1, 1, 0), 0, 2); // { value: 0.6666666666666666 }
 */
export function f1WeightedFromTally(t: Float64Array, o: number, classes: number): MetricValue {
  if (t[o + MT.W]! === 0) return { value: null, reason: NO_ROWS };
  let sum = 0;
  let support = 0;
  for (const c of classF1FromTally(t, o, classes)) {
    sum += c.f1 * c.support;
    support += c.support;
  }
  return { value: sum / support };
}

/**
 * `sklearn.metrics.f1_score(average="weighted")`: per-class F1 weighted by (weighted) support.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html
 * @example
 * f1Weighted([0, 1, 1], [0.8, 0.2, 0.3, 0.7, 0.6, 0.4], { classes: 2 }); // { value: 0.6666666666666666 }
 */
export function f1Weighted(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions & { classes: number },
): MetricValue {
  return f1WeightedFromTally(tallyOf("multiclass", labels, scores, options), 0, options.classes);
}
