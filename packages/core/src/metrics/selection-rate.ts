import { confusionFromTally } from "./confusion.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * Selection rate `(tp + fp) / n` from a binary tally: the share of rows predicted positive, the
 * quantity demographic parity compares between groups.
 *
 * @example
 * selectionRateFromTally(Float64Array.of(3, 2, 2, 1, 0, 0, 0, 0, 0), 0); // { value: 0.6 }
 */
export function selectionRateFromTally(t: Float64Array, o: number): MetricValue {
  const c = confusionFromTally(t, o);
  const n = c.tp + c.fp + c.fn + c.tn;
  if (n === 0) return { value: null, reason: NO_ROWS };
  return { value: (c.tp + c.fp) / n };
}

/**
 * Selection rate of the prediction `score ≥ threshold`: the (weighted) mean of the predictions,
 * `np.average(y_pred, weights=sample_weight)`, as fairlearn's `selection_rate`.
 *
 * @see https://fairlearn.org/main/api_reference/generated/fairlearn.metrics.selection_rate.html
 * @example
 * selectionRate([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); // { value: 0.5 }
 */
export function selectionRate(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return selectionRateFromTally(tallyOf("binary", labels, scores, options), 0);
}
