import { classF1FromTally } from "./class-f1.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { MT } from "./multiclass-pass.js";
import { tallyOf } from "./tally.js";

/**
 * Macro F1 from a multiclass tally: the unweighted mean of per-class F1 over present classes.
 *
 * @example
 * f1MacroFromTally(Float64Array.of(2, 1, 0, 1, 1, 1, 1, 1, 0), 0, 2); // { value: 0.5 }
 */
export function f1MacroFromTally(t: Float64Array, o: number, classes: number): MetricValue {
  if (t[o + MT.W]! === 0) return { value: null, reason: NO_ROWS };
  const present = classF1FromTally(t, o, classes).filter((c) => c.present);
  return { value: present.reduce((sum, c) => sum + c.f1, 0) / present.length };
}

/**
 * `sklearn.metrics.f1_score(average="macro")`: classes that are neither a label nor a prediction
 * of any row are left out, as scikit-learn does without an explicit `labels`.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html
 * @example
 * f1Macro([0, 1, 2], [0.8, 0.1, 0.1, 0.6, 0.3, 0.1, 0.1, 0.1, 0.8], { classes: 3 }); // { value: 0.5555555555555555 }
 */
export function f1Macro(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions & { classes: number },
): MetricValue {
  return f1MacroFromTally(tallyOf("multiclass", labels, scores, options), 0, options.classes);
}
