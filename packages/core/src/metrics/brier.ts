import { BINARY_TALLY } from "./binary-pass.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * Brier score from a binary tally: weighted mean of `(y − p)²`.
 *
 * @example
 * brierFromTally(Float64Array.of(1, 1, 0, 0, 0, 0, 0, 0.5, 0), 0); // { value: 0.25 }
 */
export function brierFromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + BINARY_TALLY.POS]! + t[o + BINARY_TALLY.NEG]!;
  return w === 0 ? { value: null, reason: NO_ROWS } : { value: t[o + BINARY_TALLY.BRIER]! / w };
}

/**
 * Brier score of binary labels and positive-class probabilities, as `sklearn.metrics.brier_score_loss`.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.brier_score_loss.html
 * @example
 * brier([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]); // { value: 0.0375 }
 */
export function brier(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return brierFromTally(tallyOf("binary", labels, scores, options), 0);
}
