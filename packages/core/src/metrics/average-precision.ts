import { BINARY_TALLY } from "./binary-pass.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * Average precision from a binary tally: `Σ (R_k − R_{k−1}) P_k` over distinct scores, the
 * step-wise (not interpolated) sum of `average_precision_score`. Undefined without positives
 * (scikit-learn warns and returns a meaningless value there).
 *
 * @example
 * averagePrecisionFromTally(Float64Array.of(2, 1, 0, 0, 0, 1.5, 0, 0, 0), 0); // { value: 0.75 }
 */
export function averagePrecisionFromTally(t: Float64Array, o: number): MetricValue {
  const pos = t[o + BINARY_TALLY.POS]!;
  if (pos + t[o + BINARY_TALLY.NEG]! === 0) return { value: null, reason: NO_ROWS };
  if (pos === 0) return { value: null, reason: "no positive rows: average_precision needs one" };
  return { value: t[o + BINARY_TALLY.AP]! / pos };
}

/**
 * Average precision of binary labels and scores, as `sklearn.metrics.average_precision_score`:
 * tied scores form one threshold, precision is taken at each threshold where recall grows.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.average_precision_score.html
 * @example
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // { value: 0.8333333333333333 }
 */
export function averagePrecision(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return averagePrecisionFromTally(tallyOf("binary", labels, scores, options), 0);
}
