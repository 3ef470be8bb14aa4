import type { OperatingSpec } from "./operating-point.js";

/**
 * The value of one metric on one group of rows. A metric that its data leaves undefined (no rows,
 * one class for ROC AUC, no positives for average precision, fewer than two rows for R²) is
 * `null` with the reason, never `NaN` and never an exception. A defined value may still carry a
 * `reason` when a convention chose it (scikit-learn's `zero_division = 0`, R² of a constant target).
 *
 * @example
 * const v: MetricValue = { value: null, reason: "one class only: roc_auc needs both" };
 */
export type MetricValue = { value: number; reason?: string } | { value: null; reason: string };

/** Per-row inputs of a metric: `weights` default to 1 (bootstrap passes Poisson counts). */
export interface MetricOptions {
  /** Non-negative sample weights, as scikit-learn's `sample_weight`. */
  weights?: ArrayLike<number>;
  /** Binary only: a score at or above it predicts the positive class (default 0.5). */
  threshold?: number;
  /** Binary only: costs and targets of the operating-point metrics (`value`, `recall_at_precision`, …). */
  operating?: OperatingSpec;
}

/**
 * `NaN` marks an undefined value inside the bootstrap's typed arrays; this turns it into the
 * public shape with its reason.
 *
 * @example
 * metricValue(0.5); // { value: 0.5 }
 * metricValue(Number.NaN, "no rows"); // { value: null, reason: "no rows" }
 */
export function metricValue(value: number, reason?: string): MetricValue {
  if (Number.isNaN(value)) return { value: null, reason: reason ?? "undefined for these rows" };
  return reason === undefined ? { value } : { value, reason };
}

/** The reason given for every metric of a group whose rows weigh nothing in total. */
export const NO_ROWS = "no rows (total weight 0)";
