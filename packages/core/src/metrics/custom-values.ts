import type { Task } from "../manifest/metric-names.js";
import type { GroupIds } from "../slicing/group-ids.js";
import type { RowPass } from "./binary-pass.js";
import { confusionFromTally } from "./confusion.js";
import type { CustomMetricSpec } from "./custom-metrics.js";
import { evaluateExpression } from "./expression.js";
import { type MetricValue, metricValue, NO_ROWS } from "./metric-value.js";

/** The reason of a custom metric whose expression is undefined for a group's numbers. */
export const UNDEFINED_EXPRESSION =
  "its expression is undefined for these rows (a division by zero, or a function outside its domain)";

/**
 * The value of a `counts` metric from a binary tally: the expression of the weighted confusion
 * counts at the threshold (`n` their sum).
 *
 * @example
 * countsMetricFromTally(spec("tp / (tp + fp)"), Float64Array.of(3, 2, 2, 1, 0, 0, 0, 0, 0), 0);
 * // { value: 0.6666666666666666 }
 */
export function countsMetricFromTally(spec: CustomMetricSpec, t: Float64Array, o: number): MetricValue {
  const c = confusionFromTally(t, o);
  const n = c.tp + c.fp + c.fn + c.tn;
  if (n === 0) return { value: null, reason: NO_ROWS };
  return metricValue(evaluateExpression(spec.tree, { ...c, n }), UNDEFINED_EXPRESSION);
}

/**
 * A pass over rows that sums, per group, the weight and the weighted per-row value of each `rows`
 * metric (values computed once, from each row's values, see {@link rowValues}): its tally is
 * `[Σw·v₀, Σw·v₁, …, Σw]` per group, and a metric is its sum over the total.
 *
 * @example
 * const pass = rowValuePass([Float64Array.of(1, 0, 1)], [new Uint32Array(3)], 1);
 * const out = new Float64Array(pass.tallySize);
 * pass.run(null, out); // out = [2, 3]
 */
export function rowValuePass(
  values: readonly Float64Array[],
  groupIds: readonly GroupIds[],
  groups: number,
): RowPass {
  const rows = groupIds[0]?.length ?? 0;
  const width = values.length + 1;
  return {
    rows,
    groups,
    tallySize: width,
    run(weights, out) {
      out.fill(0);
      for (let i = 0; i < rows; i++) {
        const w = weights === null ? 1 : weights[i]!;
        if (w === 0) continue;
        for (const ids of groupIds) {
          const o = ids[i]! * width;
          for (let j = 0; j < values.length; j++) out[o + j]! += w * values[j]![i]!;
          out[o + values.length]! += w;
        }
      }
    },
  };
}

/** The rows a `rows` metric reads (see {@link rowValues}). */
export interface CustomRows {
  task: Task;
  /** Binary 0/1, multiclass class indices, regression true values. */
  labels: ArrayLike<number>;
  /** As `EvaluateInput.scores`: binary probabilities, multiclass row-major `[rows × classes]`, regression predictions. */
  scores: ArrayLike<number>;
  /** Binary: the decision threshold. */
  threshold: number;
  /** Multiclass: the number of classes. */
  classes: number;
}

/**
 * Each row's value of a `rows` metric: the expression of the row's values for the task
 * (`CUSTOM_VARIABLES.rows`), NaN where the expression is undefined for the row. Binary: `label`,
 * `score`, `prediction` (`score ≥ threshold`); regression: `label`, `prediction`, `error`
 * (prediction − label); multiclass: `correct` (the first most probable class, as `np.argmax`, is
 * the label), `probability` (of the true class) and `confidence` (the highest probability).
 *
 * @example
 * rowValues(spec("abs(label - score)"), { task: "binary", labels: [1, 0], scores: [0.75, 0.5], threshold: 0.5, classes: 2 });
 * // Float64Array [0.25, 0.5]
 */
export function rowValues(spec: CustomMetricSpec, rows: CustomRows): Float64Array {
  const { task, labels, scores, threshold, classes } = rows;
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    let variables: Record<string, number>;
    if (task === "binary") {
      const score = scores[i]!;
      variables = { label, score, prediction: score >= threshold ? 1 : 0 };
    } else if (task === "regression") {
      const prediction = scores[i]!;
      variables = { label, prediction, error: prediction - label };
    } else {
      const o = i * classes;
      let best = 0;
      for (let c = 1; c < classes; c++) if (scores[o + c]! > scores[o + best]!) best = c;
      variables = {
        correct: best === label ? 1 : 0,
        probability: scores[o + label]!,
        confidence: scores[o + best]!,
      };
    }
    out[i] = evaluateExpression(spec.tree, variables);
  }
  return out;
}
