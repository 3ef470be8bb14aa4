import { BINARY_TALLY } from "./binary-pass.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { MT } from "./multiclass-pass.js";
import { tallyOf } from "./tally.js";

/**
 * Mean binary log loss from a tally. Defined with one class too: the classes are known.
 *
 * @example
 * binaryLogLossFromTally(Float64Array.of(1, 1, 0, 0, 0, 0, 1.3862943611198906, 0, 0), 0); // { value: 0.6931471805599453 }
 */
export function binaryLogLossFromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + BINARY_TALLY.POS]! + t[o + BINARY_TALLY.NEG]!;
  return w === 0 ? { value: null, reason: NO_ROWS } : { value: t[o + BINARY_TALLY.LOSS]! / w };
}

/**
 * Mean multiclass log loss from a tally.
 *
 * @example
 * multiclassLogLossFromTally(Float64Array.of(2, 1, 1.3862943611198906), 0); // { value: 0.6931471805599453 }
 */
export function multiclassLogLossFromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + MT.W]!;
  return w === 0 ? { value: null, reason: NO_ROWS } : { value: t[o + MT.LOSS]! / w };
}

/**
 * Log loss (cross-entropy) as `sklearn.metrics.log_loss` (≥ 1.5): probabilities are clipped to
 * `[eps, 1 − eps]` with `eps = 2⁻⁵²` (`np.finfo(float64).eps`) and multiclass rows are not
 * renormalised. Binary: `scores` are positive-class probabilities. Multiclass: pass `classes`,
 * `scores` row-major `[rows × classes]`, labels class indices.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.log_loss.html
 * @example
 * logLoss([0, 1], [0.5, 0.5]); // { value: 0.6931471805599453 }
 */
export function logLoss(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions & { classes?: number } = {},
): MetricValue {
  if (options.classes !== undefined)
    return multiclassLogLossFromTally(tallyOf("multiclass", labels, scores, options), 0);
  return binaryLogLossFromTally(tallyOf("binary", labels, scores, options), 0);
}
