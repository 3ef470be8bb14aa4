import { BINARY_TALLY } from "./binary-pass.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * Area under the ROC curve from a binary tally: the weighted share of (positive, negative) pairs
 * ranked correctly, a tied pair counting ½ — scikit-learn's trapezoidal `roc_auc_score`.
 * Undefined (`null`) without both classes.
 *
 * @example
 * rocAucFromTally(Float64Array.of(1, 1, 1, 0, 1, 1, 0, 0, 0), 0); // { value: 1 }
 */
export function rocAucFromTally(t: Float64Array, o: number): MetricValue {
  const pos = t[o + BINARY_TALLY.POS]!;
  const neg = t[o + BINARY_TALLY.NEG]!;
  if (pos + neg === 0) return { value: null, reason: NO_ROWS };
  if (pos === 0 || neg === 0)
    return { value: null, reason: "one class only: roc_auc needs positives and negatives" };
  return { value: t[o + BINARY_TALLY.AUC]! / (pos * neg) };
}

/**
 * ROC AUC of binary labels (1 = positive) and scores, as `sklearn.metrics.roc_auc_score`
 * (ties count ½, `weights` = `sample_weight`).
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_auc_score.html
 * @example
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // { value: 0.75 }
 * rocAuc([1, 1], [0.2, 0.3]); // { value: null, reason: "one class only: …" }
 */
export function rocAuc(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return rocAucFromTally(tallyOf("binary", labels, scores, options), 0);
}
