import { BINARY_TALLY, BINARY_TALLY_SIZE } from "./binary-pass.js";
import { type MetricOptions, type MetricValue, metricValue, NO_ROWS } from "./metric-value.js";
import { OP, type OperatingSpec } from "./operating-point.js";
import { tallyOf } from "./tally.js";

/** The metrics of a binary model at an operating point, or of its costs (see `operatingWalk`). */
export type OperatingMetric =
  | "value"
  | "value_max"
  | "threshold_value"
  | "f1_max"
  | "threshold_f1"
  | "recall_at_precision"
  | "precision_at_k"
  | "fpr_at_tpr";

const SLOT: Record<OperatingMetric, number> = {
  value: OP.VALUE,
  value_max: OP.VALUE_MAX,
  threshold_value: OP.THRESHOLD_VALUE,
  f1_max: OP.F1_MAX,
  threshold_f1: OP.THRESHOLD_F1,
  recall_at_precision: OP.RECALL_AT_PRECISION,
  precision_at_k: OP.PRECISION_AT_K,
  fpr_at_tpr: OP.FPR_AT_TPR,
};

/** Every operating-point metric: asking for one turns the operating walk on. */
export const OPERATING_METRICS: ReadonlySet<string> = new Set(Object.keys(SLOT));

/** The manifest field each operating-point metric needs, and the spec entry that holds it. */
const NEEDS: Partial<Record<OperatingMetric, { field: string; key: keyof OperatingSpec; example: string }>> =
  {
    value: {
      field: "evaluation.costs",
      key: "costs",
      example: "costs: { tp: 120, fp: -15, fn: -120, tn: 0 }",
    },
    value_max: {
      field: "evaluation.costs",
      key: "costs",
      example: "costs: { tp: 120, fp: -15, fn: -120, tn: 0 }",
    },
    threshold_value: {
      field: "evaluation.costs",
      key: "costs",
      example: "costs: { tp: 120, fp: -15, fn: -120, tn: 0 }",
    },
    recall_at_precision: {
      field: "evaluation.operating-point.min-precision",
      key: "minPrecision",
      example: "operating-point: { min-precision: 0.8 }",
    },
    fpr_at_tpr: {
      field: "evaluation.operating-point.target-tpr",
      key: "targetTpr",
      example: "operating-point: { target-tpr: 0.9 }",
    },
    precision_at_k: {
      field: "evaluation.operating-point.k",
      key: "k",
      example: "operating-point: { k: 100 }",
    },
  };

/**
 * The first metric asked for whose cost or target is missing, with the manifest field to set.
 *
 * @example
 * missingOperatingParameter(["roc_auc", "value"], {});
 * // { metric: "value", field: "evaluation.costs", example: "costs: { tp: 120, fp: -15, fn: -120, tn: 0 }" }
 */
export function missingOperatingParameter(
  metrics: readonly string[],
  spec: OperatingSpec,
): { metric: string; field: string; example: string } | undefined {
  for (const metric of metrics) {
    const need = NEEDS[metric as OperatingMetric];
    if (need && spec[need.key] === undefined) return { metric, field: need.field, example: need.example };
  }
  return undefined;
}

/**
 * Metrics chosen on the very rows they are measured on: the threshold is picked to maximise the
 * value (or F1) of these rows, so the value is optimistic for new data, and the report says so.
 */
export const CHOSEN_ON_DATA: ReadonlySet<string> = new Set([
  "value_max",
  "threshold_value",
  "f1_max",
  "threshold_f1",
]);

/**
 * Metrics with no better direction: a threshold, and the share predicted positive. Reports show
 * them without an arrow, and their changes are never judged (`UNJUDGED_METRICS`).
 */
export const WITHOUT_DIRECTION: ReadonlySet<string> = new Set([
  "threshold_value",
  "threshold_f1",
  "selection_rate",
]);

/** Why an operating-point metric is undefined for a group, given its totals. */
function undefinedReason(metric: OperatingMetric, pos: number, neg: number): string {
  if (pos + neg === 0) return NO_ROWS;
  if (metric === "threshold_value") return "predicting every row negative is worth the most: no threshold";
  if (metric === "precision_at_k") return "the rows weigh less than k (evaluation.operating-point.k)";
  if (metric === "fpr_at_tpr" && neg === 0) return "no negative rows: fpr needs some";
  if (pos === 0) return "no positive rows: the curve has no recall";
  return "undefined for these rows";
}

/**
 * An operating-point metric read from a binary tally that the operating walk extended
 * (`tallySize` = `BINARY_TALLY_SIZE + OPERATING_SIZE`).
 *
 * @example
 * operatingFromTally("precision_at_k", tallyOf("binary", [1, 0, 1], [0.9, 0.8, 0.1], { operating: { k: 2 } }), 0);
 * // { value: 0.5 }
 */
export function operatingFromTally(metric: OperatingMetric, t: Float64Array, o: number): MetricValue {
  const value = t[o + BINARY_TALLY_SIZE + SLOT[metric]]!;
  if (!Number.isNaN(value)) {
    if (metric === "f1_max" && t[o + BINARY_TALLY.POS] === 0)
      return { value, reason: "f1_max: 0 by scikit-learn's zero_division default (no positive rows)" };
    return { value };
  }
  return metricValue(value, undefinedReason(metric, t[o + BINARY_TALLY.POS]!, t[o + BINARY_TALLY.NEG]!));
}

/**
 * The standalone form of an operating-point metric: `options.operating` gives its costs or target
 * (`value` and `value_max` need `costs`; `recall_at_precision` `minPrecision`; `fpr_at_tpr`
 * `targetTpr`; `precision_at_k` `k`). Definitions as scikit-learn's curves read them: see
 * `operatingWalk`.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_recall_curve.html
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_curve.html
 * @example
 * operatingMetric("recall_at_precision", [0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1], { operating: { minPrecision: 0.6 } });
 * // { value: 1 }
 */
export function operatingMetric(
  metric: OperatingMetric,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return operatingFromTally(metric, tallyOf("binary", labels, scores, options), 0);
}
