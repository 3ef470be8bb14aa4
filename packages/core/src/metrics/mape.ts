import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { RT } from "./regression-pass.js";
import { tallyOf } from "./tally.js";

/**
 * Mean absolute percentage error from a regression tally.
 *
 * @example
 * mapeFromTally(Float64Array.of(2, 1, 1, 0.5, 0, 2, 2, 1, 3), 0); // { value: 0.25 }
 */
export function mapeFromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + RT.W]!;
  return w === 0 ? { value: null, reason: NO_ROWS } : { value: t[o + RT.APE]! / w };
}

/**
 * `sklearn.metrics.mean_absolute_percentage_error`: weighted mean of `|y − ŷ| / max(|y|, eps)`
 * with `eps = 2⁻⁵²`, so a zero target with a non-zero error gives a huge (finite) value, as there.
 * It is a fraction, not a percentage.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.mean_absolute_percentage_error.html
 * @example
 * mape([1, 2], [1.5, 2]); // { value: 0.25 }
 */
export function mape(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return mapeFromTally(tallyOf("regression", labels, predictions, options), 0);
}
