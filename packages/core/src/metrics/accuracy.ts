import { confusionFromTally } from "./confusion.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { MT } from "./multiclass-pass.js";
import { tallyOf } from "./tally.js";

/**
 * Binary accuracy from a tally: weighted share of rows whose prediction (score ≥ threshold) is right.
 *
 * @example
 * binaryAccuracyFromTally(Float64Array.of(3, 2, 2, 1, 0, 0, 0, 0, 0), 0); // { value: 0.6 }
 */
export function binaryAccuracyFromTally(t: Float64Array, o: number): MetricValue {
  const c = confusionFromTally(t, o);
  const total = c.tp + c.fp + c.fn + c.tn;
  return total === 0 ? { value: null, reason: NO_ROWS } : { value: (c.tp + c.tn) / total };
}

/**
 * Multiclass accuracy from a tally: weighted share of rows whose argmax class is the label.
 *
 * @example
 * multiclassAccuracyFromTally(Float64Array.of(4, 3, 0), 0); // { value: 0.75 }
 */
export function multiclassAccuracyFromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + MT.W]!;
  return w === 0 ? { value: null, reason: NO_ROWS } : { value: t[o + MT.CORRECT]! / w };
}

/**
 * Accuracy as `sklearn.metrics.accuracy_score`. Binary: the prediction is `score ≥ threshold`.
 * Multiclass (pass `classes`; `scores` row-major `[rows × classes]`, labels class indices): the
 * prediction is the first class of highest probability.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.accuracy_score.html
 * @example
 * accuracy([0, 1, 1], [0.2, 0.7, 0.4]); // { value: 0.6666666666666666 }
 * accuracy([0, 1], [0.9, 0.1, 0.8, 0.2], { classes: 2 }); // { value: 0.5 }
 */
export function accuracy(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions & { classes?: number } = {},
): MetricValue {
  if (options.classes !== undefined)
    return multiclassAccuracyFromTally(tallyOf("multiclass", labels, scores, options), 0);
  return binaryAccuracyFromTally(tallyOf("binary", labels, scores, options), 0);
}
