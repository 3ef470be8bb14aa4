/** Metrics `evaluate-slices` computes for a binary classifier (scikit-learn definitions). */
export const BINARY_METRICS = [
  "roc_auc",
  "average_precision",
  "f1",
  "precision",
  "recall",
  "accuracy",
  "log_loss",
  "brier",
  "ece",
  "selection_rate",
  "fpr",
  "value",
  "value_max",
  "threshold_value",
  "f1_max",
  "threshold_f1",
  "recall_at_precision",
  "precision_at_k",
  "fpr_at_tpr",
] as const;

/** Metrics for a multiclass classifier. */
export const MULTICLASS_METRICS = ["accuracy", "f1_macro", "f1_weighted", "log_loss"] as const;

/** Metrics for a regression model. */
export const REGRESSION_METRICS = ["mae", "rmse", "r2", "mape"] as const;

/** A model's task, which decides its outputs and the metrics that make sense for it. */
export type Task = "binary" | "multiclass" | "regression";

/** Every metric name gauntlet knows, for any task. */
export type MetricName =
  | (typeof BINARY_METRICS)[number]
  | (typeof MULTICLASS_METRICS)[number]
  | (typeof REGRESSION_METRICS)[number];

/**
 * Every known metric name, each once, in a stable order (binary, multiclass, regression).
 *
 * @example
 * ALL_METRICS.includes("rmse"); // true
 */
export const ALL_METRICS: readonly MetricName[] = [
  ...new Set<MetricName>([...BINARY_METRICS, ...MULTICLASS_METRICS, ...REGRESSION_METRICS]),
];

/**
 * The metrics that suit a task.
 *
 * @example
 * metricsForTask("regression"); // ["mae", "rmse", "r2", "mape"]
 */
export function metricsForTask(task: Task): readonly MetricName[] {
  if (task === "binary") return BINARY_METRICS;
  if (task === "multiclass") return MULTICLASS_METRICS;
  return REGRESSION_METRICS;
}
