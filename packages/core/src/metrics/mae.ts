import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { RT } from "./regression-pass.js";
import { tallyOf } from "./tally.js";

/**
 * Mean absolute error from a regression tally.
 *
 * @example
 * maeFromTally(Float64Array.of(2, 1, 1, 0.5, 0, 2, 2, 1, 3), 0); // { value: 0.5 }
 */
export function maeFromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + RT.W]!;
  return w === 0 ? { value: null, reason: NO_ROWS } : { value: t[o + RT.ABS]! / w };
}

/**
 * `sklearn.metrics.mean_absolute_error`: weighted mean of `|y − ŷ|`.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.mean_absolute_error.html
 * @example
 * mae([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // { value: 0.5 }
 */
export function mae(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return maeFromTally(tallyOf("regression", labels, predictions, options), 0);
}
