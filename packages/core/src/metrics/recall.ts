import { confusionFromTally, zeroDivision } from "./confusion.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * Recall `tp / (tp + fn)` from a binary tally; 0 with a reason when there are no positives.
 *
 * @example
 * recallFromTally(Float64Array.of(3, 2, 2, 1, 0, 0, 0, 0, 0), 0); // { value: 0.6666666666666666 }
 */
export function recallFromTally(t: Float64Array, o: number): MetricValue {
  const c = confusionFromTally(t, o);
  if (c.tp + c.fp + c.fn + c.tn === 0) return { value: null, reason: NO_ROWS };
  if (c.tp + c.fn === 0) return { value: 0, reason: zeroDivision("no positive rows") };
  return { value: c.tp / (c.tp + c.fn) };
}

/**
 * Recall of the prediction `score ≥ threshold`, as `sklearn.metrics.recall_score` (0 without
 * positives, its `zero_division` default).
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.recall_score.html
 * @example
 * recall([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); // { value: 0.5 }
 */
export function recall(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return recallFromTally(tallyOf("binary", labels, scores, options), 0);
}
