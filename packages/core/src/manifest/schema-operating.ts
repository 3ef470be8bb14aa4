import * as z from "zod";
import type { CustomMetricSpec } from "../metrics/custom-metrics.js";
import { EXPRESSION_FUNCTIONS, ExpressionError, parseExpression } from "../metrics/expression.js";
import type { OperatingSpec } from "../metrics/operating-point.js";
import { ALL_METRICS, metricsForTask, type Task } from "./metric-names.js";
import { strictObject } from "./schema-helpers.js";

/** `evaluation.costs`: the value of each outcome of one decision, for the `value` metrics. */
export const costsSchema = strictObject({
  tp: z.number().describe("Value of a true positive (a benefit is positive)."),
  fp: z.number().describe("Value of a false positive (a cost is negative)."),
  fn: z.number().describe("Value of a false negative."),
  tn: z.number().describe("Value of a true negative."),
}).describe(
  "Value of each outcome per decision: `value` is the expected value per row at `threshold`, `value_max` the best over every threshold (chosen on the same rows: optimistic), `threshold_value` that threshold.",
);

/** `evaluation.operating-point`: the targets of the operating-point metrics. */
export const operatingPointSchema = strictObject({
  "min-precision": z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("`recall_at_precision`: the largest recall at a threshold whose precision is at least this."),
  "target-tpr": z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("`fpr_at_tpr`: the false-positive rate at the first threshold whose recall reaches this."),
  k: z
    .number()
    .gt(0)
    .optional()
    .describe(
      "`precision_at_k`: the share of positives among the k highest-scored rows (weights count as rows).",
    ),
}).describe(
  "Targets of the operating-point metrics `recall_at_precision`, `fpr_at_tpr` and `precision_at_k`.",
);

/**
 * The operating-point spec `evaluate` takes, from the manifest's `evaluation.costs` and
 * `evaluation.operating-point`.
 *
 * @example
 * operatingSpecOf({ costs: { tp: 1, fp: -1, fn: 0, tn: 0 }, "operating-point": { k: 50 } });
 * // { costs: { tp: 1, fp: -1, fn: 0, tn: 0 }, k: 50 }
 */
export function operatingSpecOf(evaluation: {
  costs?: z.output<typeof costsSchema> | undefined;
  "operating-point"?: z.output<typeof operatingPointSchema> | undefined;
}): OperatingSpec {
  const point = evaluation["operating-point"] ?? {};
  return {
    ...(evaluation.costs ? { costs: evaluation.costs } : {}),
    ...(point["min-precision"] !== undefined ? { minPrecision: point["min-precision"] } : {}),
    ...(point["target-tpr"] !== undefined ? { targetTpr: point["target-tpr"] } : {}),
    ...(point.k !== undefined ? { k: point.k } : {}),
  };
}

/** One `evaluation.custom-metrics` entry: a metric defined by an expression. */
export const customMetricSchema = strictObject({
  from: z
    .enum(["counts", "rows"])
    .default("counts")
    .describe(
      "`counts` (binary models): the expression reads the weighted confusion counts at `threshold` (`tp`, `fp`, `fn`, `tn`, `n`) and is the metric; `rows` (every task): it reads each row's values and the metric is its weighted mean over the rows — binary: `label` (0/1), `score` and `prediction` (0/1 at `threshold`); regression: `label` (the true value), `prediction` (the predicted value) and `error` (prediction − label); multiclass: `correct` (1 if the predicted class, the most probable, is the label, else 0), `probability` (the model's probability of the true class) and `confidence` (its highest probability).",
    ),
  expression: z
    .string()
    .min(1)
    .describe(
      "Arithmetic on those names: numbers, `+ - * / ^`, comparisons (`< <= > >= == !=`, 1 or 0), parentheses and the functions abs, sqrt, log, exp, min, max, if(condition, then, else). At most 500 characters, 200 parts and 32 nestings; division by zero and the like leave the metric undefined. Never executed as code.",
    ),
  direction: z
    .enum(["higher", "lower"])
    .default("higher")
    .describe("Which way is better: the gate reads a drop of a `lower` metric as a rise."),
}).describe(
  "A metric defined by an expression; usable in the report, its intervals and gate rules by its name.",
);

/** The name of a custom metric (checked against `evaluation.custom-metrics` when the manifest is read). */
export const customMetricName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "expected a metric name: lower-case letters, digits and _");

/** `evaluation.custom-metrics`: metric name → definition (`counts`: binary models; `rows`: every task). */
export const customMetricsSchema = z
  .record(customMetricName, customMetricSchema)
  .describe(
    "Metrics you define, by name (lower-case letters, digits, _; not a built-in metric's name): each is computed overall and per slice with its bootstrap interval, shown in the report, and can be held by gate rules (`metric: <name>`). `from: counts` needs a binary model; `from: rows` works for every task.",
  );

/** The variables an expression of each `from` kind reads: `rows` by the model's task. */
export const CUSTOM_VARIABLES = {
  counts: ["tp", "fp", "fn", "tn", "n"],
  rows: {
    binary: ["label", "score", "prediction"],
    regression: ["label", "prediction", "error"],
    multiclass: ["correct", "probability", "confidence"],
  },
} as const;

/**
 * The names an expression reads for a `from` kind and a task.
 *
 * @example
 * customVariables("rows", "regression"); // ["label", "prediction", "error"]
 */
export function customVariables(from: "counts" | "rows", task: Task): readonly string[] {
  return from === "counts" ? CUSTOM_VARIABLES.counts : CUSTOM_VARIABLES.rows[task];
}

/**
 * The custom metrics of `evaluation.custom-metrics`, their expressions parsed; throws the
 * {@link ExpressionError} of the first that does not parse (`customMetricProblems` reports them
 * all, with their fields, when the manifest is read).
 *
 * @example
 * customMetricsOf({ "custom-metrics": { net: { from: "counts", expression: "tp - fp", direction: "higher" } } }, "binary");
 * // [{ name: "net", from: "counts", expression: "tp - fp", tree: { kind: "binary", … }, direction: "higher" }]
 */
export function customMetricsOf(
  evaluation: { "custom-metrics"?: z.output<typeof customMetricsSchema> | undefined },
  task: Task,
): CustomMetricSpec[] {
  return Object.entries(evaluation["custom-metrics"] ?? {}).map(([name, m]) => ({
    name,
    from: m.from,
    expression: m.expression,
    tree: parseExpression(m.expression, customVariables(m.from, task)),
    direction: m.direction,
  }));
}

/**
 * What is wrong with the custom metrics of a manifest: a name that is a built-in metric's, a
 * `counts` metric of a model that is not binary, an expression that does not parse or reads a name
 * the task's rows do not have (with the character it fails at).
 *
 * @example
 * customMetricProblems({ "custom-metrics": { net: { from: "counts", expression: "tp - cost", direction: "higher" } } }, "binary");
 * // [{ path: ["evaluation", "custom-metrics", "net", "expression"], problem: "unknown name cost: use one of tp, fp, fn, tn, n (at character 6)", fix: "…" }]
 */
export function customMetricProblems(
  evaluation: { "custom-metrics"?: z.output<typeof customMetricsSchema> | undefined },
  task: Task,
): { path: (string | number)[]; problem: string; fix: string }[] {
  const out: { path: (string | number)[]; problem: string; fix: string }[] = [];
  for (const [name, m] of Object.entries(evaluation["custom-metrics"] ?? {})) {
    const path = ["evaluation", "custom-metrics", name];
    if ((ALL_METRICS as readonly string[]).includes(name)) {
      out.push({ path, problem: `${name} is a built-in metric`, fix: "give the custom metric another name" });
    }
    if (m.from === "counts" && task !== "binary") {
      out.push({
        path: [...path, "from"],
        problem: `from: counts custom metrics are defined on a binary decision (its confusion counts tp, fp, fn, tn; counts is the default); this model is ${task}`,
        fix: `write it from: rows on each row's ${CUSTOM_VARIABLES.rows[task].join(", ")}, or hold a built-in ${task} metric instead (${metricsForTask(task).join(", ")})`,
      });
      continue;
    }
    const names = customVariables(m.from, task);
    try {
      parseExpression(m.expression, names);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      out.push({
        path: [...path, "expression"],
        problem: `${error.message} (at character ${error.position + 1})`,
        fix: `write arithmetic on ${names.join(", ")} (from: ${m.from}${m.from === "rows" ? ` of a ${task} model` : ""}) with the functions ${EXPRESSION_FUNCTIONS.join(", ")} (see docs/metrics.md)`,
      });
    }
  }
  return out;
}
