import { confusionFromTally, zeroDivision } from "./confusion.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * F1 `2tp / (2tp + fp + fn)` from a binary tally; 0 with a reason when tp + fp + fn = 0.
 *
 * @example
 * f1FromTally(Float64Array.of(3, 2, 2, 1, 0, 0, 0, 0, 0), 0); // { value: 0.6666666666666666 }
 */
export function f1FromTally(t: Float64Array, o: number): MetricValue {
  const c = confusionFromTally(t, o);
  if (c.tp + c.fp + c.fn + c.tn === 0) return { value: null, reason: NO_ROWS };
  const denominator = 2 * c.tp + c.fp + c.fn;
  if (denominator === 0) return { value: 0, reason: zeroDivision("no positive rows and none predicted") };
  return { value: (2 * c.tp) / denominator };
}

/**
 * F1 of the prediction `score ≥ threshold`, as `sklearn.metrics.f1_score` (binary average,
 * `zero_division` default 0).
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html
 * @example
 * f1([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); // { value: 0.5 }
 */
export function f1(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return f1FromTally(tallyOf("binary", labels, scores, options), 0);
}
