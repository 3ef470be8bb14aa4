import { confusionFromTally, zeroDivision } from "./confusion.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * Precision `tp / (tp + fp)` from a binary tally; 0 with a reason when nothing is predicted positive.
 *
 * @example
 * precisionFromTally(Float64Array.of(3, 2, 2, 1, 0, 0, 0, 0, 0), 0); // { value: 0.6666666666666666 }
 */
export function precisionFromTally(t: Float64Array, o: number): MetricValue {
  const c = confusionFromTally(t, o);
  if (c.tp + c.fp + c.fn + c.tn === 0) return { value: null, reason: NO_ROWS };
  if (c.tp + c.fp === 0) return { value: 0, reason: zeroDivision("no predicted positives") };
  return { value: c.tp / (c.tp + c.fp) };
}

/**
 * Precision of the prediction `score ≥ threshold`, as `sklearn.metrics.precision_score` with its
 * default `zero_division="warn"`, which returns 0 (we return 0 with the reason instead of a warning).
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_score.html
 * @example
 * precision([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); // { value: 0.5 }
 */
export function precision(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return precisionFromTally(tallyOf("binary", labels, scores, options), 0);
}
