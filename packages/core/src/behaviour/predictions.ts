import type { BehaviourTask } from "./behaviour-result.js";

/**
 * What a model answered for a batch of probes, whatever its task: binary classifiers give the
 * positive-class score, multiclass ones a probability per class, regressors a value. The
 * behavioural tests compare these through the functions below, so each test means the same
 * thing for every task: a change is the largest move of any number the model gives for a row, a
 * decision is the predicted class (binary: the score at the threshold; regression has none), and
 * confidence is how sure a classifier is of its decision.
 */
export interface Predictions {
  task: BehaviourTask;
  rows: number;
  /** Binary: score per row; regression: value per row; multiclass: `rows × width` probabilities, row-major. */
  values: Float64Array;
  /** Numbers per row: the class count for multiclass, else 1. */
  width: number;
}

/**
 * What a change of a row's prediction is, per task, as the reports say it.
 *
 * @example
 * MOVED.multiclass; // "class probabilities"
 */
export const MOVED: Record<BehaviourTask, string> = {
  binary: "score",
  multiclass: "class probabilities",
  regression: "predicted value",
};

/**
 * Binary or regression predictions (one number per row).
 *
 * @example
 * singlePredictions("binary", new Float64Array([0.2, 0.9])).rows; // 2
 */
export function singlePredictions(task: "binary" | "regression", values: Float64Array): Predictions {
  return { task, rows: values.length, values, width: 1 };
}

/**
 * Multiclass predictions from row-major probabilities, `classes` per row.
 *
 * @example
 * classPredictions(new Float64Array([0.7, 0.2, 0.1]), 3).rows; // 1
 */
export function classPredictions(probabilities: Float64Array, classes: number): Predictions {
  return { task: "multiclass", rows: probabilities.length / classes, values: probabilities, width: classes };
}

/**
 * Number `k` of row `r` (the class-`k` probability for multiclass; `k` is 0 otherwise).
 *
 * @example
 * component(classPredictions(new Float64Array([0.7, 0.3]), 2), 0, 1); // 0.3
 */
export const component = (p: Predictions, r: number, k = 0): number => p.values[r * p.width + k]!;

/**
 * How far row `ra` of `a` is from row `rb` of `b`: the largest absolute difference of any number
 * (the score, the value, or any class's probability); `Infinity` when either has a non-number.
 *
 * @example
 * predictionChange(p, 0, q, 0); // 0.12
 */
export function predictionChange(a: Predictions, ra: number, b: Predictions, rb: number): number {
  let largest = 0;
  for (let k = 0; k < a.width; k++) {
    const d = Math.abs(component(a, ra, k) - component(b, rb, k));
    if (!Number.isFinite(d)) return Infinity;
    largest = Math.max(largest, d);
  }
  return largest;
}

/**
 * Whether every number of row `r` is finite (and, for classifiers, a probability in [0, 1]).
 *
 * @example
 * isValidPrediction(singlePredictions("binary", new Float64Array([1.2])), 0); // false
 */
export function isValidPrediction(p: Predictions, r: number): boolean {
  for (let k = 0; k < p.width; k++) {
    const v = component(p, r, k);
    if (!Number.isFinite(v)) return false;
    if (p.task !== "regression" && (v < 0 || v > 1)) return false;
  }
  return true;
}

/**
 * The class decided for row `r`: binary 1 at or above `threshold` else 0, multiclass the index of
 * the most probable class (the first on ties); -1 when a number is missing; `null` for regression.
 *
 * @example
 * decision(classPredictions(new Float64Array([0.2, 0.5, 0.3]), 3), 0, 0.5); // 1
 */
export function decision(p: Predictions, r: number, threshold: number): number | null {
  if (p.task === "regression") return null;
  if (!isValidPrediction(p, r)) return -1;
  if (p.task === "binary") return component(p, r) >= threshold ? 1 : 0;
  let best = 0;
  for (let k = 1; k < p.width; k++) if (component(p, r, k) > component(p, r, best)) best = k;
  return best;
}

/**
 * A classifier's confidence in row `r`'s decision: `|2s − 1|` for a binary score, the largest class
 * probability for multiclass; 1 when a number is missing; `null` for regression (no confidence).
 *
 * @example
 * confidence(singlePredictions("binary", new Float64Array([0.9])), 0); // 0.8
 */
export function confidence(p: Predictions, r: number): number | null {
  if (p.task === "regression") return null;
  if (!isValidPrediction(p, r)) return 1;
  if (p.task === "binary") return Math.abs(2 * component(p, r) - 1);
  return component(p, r, decision(p, r, 0)!);
}

/**
 * Row `r` as report text: the score or value with three decimals, or for multiclass the decided
 * class and its probability (`classes` names them).
 *
 * @example
 * predictionText(classPredictions(new Float64Array([0.2, 0.8]), 2), 0, ["a", "b"]); // "b (0.800)"
 */
export function predictionText(p: Predictions, r: number, classes: readonly string[] = []): string {
  if (p.task !== "multiclass") {
    const v = component(p, r);
    return Number.isNaN(v) ? "no score" : v.toFixed(3);
  }
  const d = decision(p, r, 0)!;
  if (d < 0) return "no score";
  return `${classes[d] ?? d} (${component(p, r, d).toFixed(3)})`;
}

/**
 * The one number reported as row `r`'s score: the binary score, the regression value, the
 * multiclass decided class's probability; `null` when it is not a number.
 *
 * @example
 * headlineScore(singlePredictions("regression", new Float64Array([41.5])), 0); // 41.5
 */
export function headlineScore(p: Predictions, r: number): number | null {
  const d = p.task === "multiclass" ? decision(p, r, 0)! : 0;
  const v = d < 0 ? Number.NaN : component(p, r, d);
  return Number.isFinite(v) ? v : null;
}
