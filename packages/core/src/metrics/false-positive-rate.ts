import { confusionFromTally } from "./confusion.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * False-positive rate `fp / (fp + tn)` from a binary tally; undefined (null) without negatives,
 * as `roc_curve` leaves it (it warns and returns NaN).
 *
 * @example
 * falsePositiveRateFromTally(Float64Array.of(3, 2, 2, 1, 0, 0, 0, 0, 0), 0); // { value: 0.5 }
 */
export function falsePositiveRateFromTally(t: Float64Array, o: number): MetricValue {
  const c = confusionFromTally(t, o);
  if (c.tp + c.fp + c.fn + c.tn === 0) return { value: null, reason: NO_ROWS };
  if (c.fp + c.tn === 0) return { value: null, reason: "no negative rows: fpr needs some" };
  return { value: c.fp / (c.fp + c.tn) };
}

/**
 * False-positive rate of the prediction `score ≥ threshold`: `fp / (fp + tn)` of
 * `sklearn.metrics.confusion_matrix` (with `sample_weight`), the other half of equalized odds.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.confusion_matrix.html
 * @example
 * falsePositiveRate([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); // { value: 0.5 }
 */
export function falsePositiveRate(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return falsePositiveRateFromTally(tallyOf("binary", labels, scores, options), 0);
}
