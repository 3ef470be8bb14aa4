import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { RT } from "./regression-pass.js";
import { tallyOf } from "./tally.js";

/**
 * Root mean squared error from a regression tally.
 *
 * @example
 * rmseFromTally(Float64Array.of(2, 1, 1, 0.5, 0, 2, 2, 1, 3), 0); // { value: 0.7071067811865476 }
 */
export function rmseFromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + RT.W]!;
  return w === 0 ? { value: null, reason: NO_ROWS } : { value: Math.sqrt(t[o + RT.SQ]! / w) };
}

/**
 * `sklearn.metrics.root_mean_squared_error`: the square root of the weighted mean of `(y − ŷ)²`.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.root_mean_squared_error.html
 * @example
 * rmse([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // { value: 0.6123724356957945 }
 */
export function rmse(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return rmseFromTally(tallyOf("regression", labels, predictions, options), 0);
}
