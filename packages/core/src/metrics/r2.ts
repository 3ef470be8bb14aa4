import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { RT } from "./regression-pass.js";
import { tallyOf } from "./tally.js";

/**
 * R² from a regression tally. Fewer than two rows: `null` (scikit-learn returns NaN with a
 * warning). A constant target: 1 when predicted exactly, else 0 — scikit-learn's `force_finite`
 * values — with the reason. Constancy is decided on the values themselves, not on a sum of squares
 * that rounding can leave a hair above 0.
 *
 * @example
 * r2FromTally(Float64Array.of(2, 1, 1, 0.5, 0, 2, 2, 1, 3), 0); // { value: 0.5 }
 */
export function r2FromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + RT.W]!;
  if (w === 0) return { value: null, reason: NO_ROWS };
  if (t[o + RT.ROWS]! < 2) return { value: null, reason: "fewer than two rows: r2 is not defined" };
  const residual = t[o + RT.SQ]!;
  if (t[o + RT.MIN]! === t[o + RT.MAX]!) {
    return residual === 0
      ? { value: 1, reason: "constant target predicted exactly: 1 by scikit-learn's force_finite" }
      : { value: 0, reason: "constant target: 0 by scikit-learn's force_finite" };
  }
  const dev = t[o + RT.DEV]!;
  const total = t[o + RT.DEV2]! - (dev * dev) / w;
  return { value: 1 - residual / total };
}

/**
 * `sklearn.metrics.r2_score`: `1 − Σw(y − ŷ)² / Σw(y − ȳ_w)²`.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.r2_score.html
 * @example
 * r2([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // { value: 0.9486081370449679 }
 */
export function r2(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return r2FromTally(tallyOf("regression", labels, predictions, options), 0);
}
