import type { MetricName, Task } from "../manifest/metric-names.js";
import { accuracy, binaryAccuracyFromTally, multiclassAccuracyFromTally } from "./accuracy.js";
import { averagePrecision, averagePrecisionFromTally } from "./average-precision.js";
import { brier, brierFromTally } from "./brier.js";
import { ece, eceFromTally } from "./ece.js";
import { f1, f1FromTally } from "./f1.js";
import { f1Macro, f1MacroFromTally } from "./f1-macro.js";
import { f1Weighted, f1WeightedFromTally } from "./f1-weighted.js";
import { falsePositiveRate, falsePositiveRateFromTally } from "./false-positive-rate.js";
import { binaryLogLossFromTally, logLoss, multiclassLogLossFromTally } from "./log-loss.js";
import { mae, maeFromTally } from "./mae.js";
import { mape, mapeFromTally } from "./mape.js";
import type { MetricOptions, MetricValue } from "./metric-value.js";
import { type OperatingMetric, operatingFromTally, operatingMetric } from "./operating-metrics.js";
import { precision, precisionFromTally } from "./precision.js";
import { r2, r2FromTally } from "./r2.js";
import { recall, recallFromTally } from "./recall.js";
import { rmse, rmseFromTally } from "./rmse.js";
import { rocAuc, rocAucFromTally } from "./roc-auc.js";
import { selectionRate, selectionRateFromTally } from "./selection-rate.js";

/** Options of a standalone metric call; `classes` is required for multiclass. */
export type ComputeOptions = MetricOptions & { classes?: number };

/** What the gate and the evaluation need to know about one metric. */
export interface MetricDefinition {
  /** Tasks the metric is defined for (accuracy and log_loss: binary and multiclass). */
  readonly tasks: readonly Task[];
  /** Which way is better: the gate reads a drop of a "lower" metric as a rise. */
  readonly direction: "higher" | "lower";
  /** The values the metric can take (`±Infinity` where unbounded): intervals never leave it. */
  readonly range: readonly [number, number];
  /** The value from a pass's tally at offset `o` (`classes` matters for multiclass only). */
  fromTally(task: Task, t: Float64Array, o: number, classes: number): MetricValue;
  /** The metric of all rows given; multiclass when `options.classes` is set. */
  compute(labels: ArrayLike<number>, scores: ArrayLike<number>, options?: ComputeOptions): MetricValue;
}

/** An operating-point metric's entry: binary, read from the walk's slots of the tally. */
const operating = (
  metric: OperatingMetric,
  direction: "higher" | "lower",
  range: readonly [number, number],
): MetricDefinition => ({
  tasks: ["binary"],
  direction,
  range,
  fromTally: (_, t, o) => operatingFromTally(metric, t, o),
  compute: (labels, scores, options) => operatingMetric(metric, labels, scores, options),
});
const UNBOUNDED = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as const;

const classesOf = (options: ComputeOptions = {}) => {
  if (options.classes === undefined) throw new RangeError("multiclass metrics need options.classes");
  return { ...options, classes: options.classes };
};

/**
 * Every metric by its manifest name, with the tasks it suits, its direction and how to compute it.
 *
 * @example
 * METRICS.log_loss.direction; // "lower"
 * METRICS.roc_auc.compute([0, 1], [0.3, 0.6]); // { value: 1 }
 */
export const METRICS: Readonly<Record<MetricName, MetricDefinition>> = {
  roc_auc: {
    tasks: ["binary"],
    direction: "higher",
    range: [0, 1],
    fromTally: (_, t, o) => rocAucFromTally(t, o),
    compute: rocAuc,
  },
  average_precision: {
    tasks: ["binary"],
    direction: "higher",
    range: [0, 1],
    fromTally: (_, t, o) => averagePrecisionFromTally(t, o),
    compute: averagePrecision,
  },
  accuracy: {
    tasks: ["binary", "multiclass"],
    direction: "higher",
    range: [0, 1],
    fromTally: (task, t, o) =>
      task === "multiclass" ? multiclassAccuracyFromTally(t, o) : binaryAccuracyFromTally(t, o),
    compute: accuracy,
  },
  precision: {
    tasks: ["binary"],
    direction: "higher",
    range: [0, 1],
    fromTally: (_, t, o) => precisionFromTally(t, o),
    compute: precision,
  },
  recall: {
    tasks: ["binary"],
    direction: "higher",
    range: [0, 1],
    fromTally: (_, t, o) => recallFromTally(t, o),
    compute: recall,
  },
  f1: {
    tasks: ["binary"],
    direction: "higher",
    range: [0, 1],
    fromTally: (_, t, o) => f1FromTally(t, o),
    compute: f1,
  },
  log_loss: {
    tasks: ["binary", "multiclass"],
    direction: "lower",
    range: [0, Number.POSITIVE_INFINITY],
    fromTally: (task, t, o) =>
      task === "multiclass" ? multiclassLogLossFromTally(t, o) : binaryLogLossFromTally(t, o),
    compute: logLoss,
  },
  brier: {
    tasks: ["binary"],
    direction: "lower",
    range: [0, 1],
    fromTally: (_, t, o) => brierFromTally(t, o),
    compute: brier,
  },
  ece: {
    tasks: ["binary"],
    direction: "lower",
    range: [0, 1],
    fromTally: (_, t, o) => eceFromTally(t, o),
    compute: ece,
  },
  selection_rate: {
    tasks: ["binary"],
    direction: "higher",
    range: [0, 1],
    fromTally: (_, t, o) => selectionRateFromTally(t, o),
    compute: selectionRate,
  },
  fpr: {
    tasks: ["binary"],
    direction: "lower",
    range: [0, 1],
    fromTally: (_, t, o) => falsePositiveRateFromTally(t, o),
    compute: falsePositiveRate,
  },
  value: operating("value", "higher", UNBOUNDED),
  value_max: operating("value_max", "higher", UNBOUNDED),
  // A threshold has no better direction: its changes are shown, never judged (UNJUDGED_METRICS).
  threshold_value: operating("threshold_value", "higher", UNBOUNDED),
  f1_max: operating("f1_max", "higher", [0, 1]),
  threshold_f1: operating("threshold_f1", "higher", UNBOUNDED),
  recall_at_precision: operating("recall_at_precision", "higher", [0, 1]),
  precision_at_k: operating("precision_at_k", "higher", [0, 1]),
  fpr_at_tpr: operating("fpr_at_tpr", "lower", [0, 1]),
  f1_macro: {
    tasks: ["multiclass"],
    direction: "higher",
    range: [0, 1],
    fromTally: (_, t, o, classes) => f1MacroFromTally(t, o, classes),
    compute: (labels, scores, options) => f1Macro(labels, scores, classesOf(options)),
  },
  f1_weighted: {
    tasks: ["multiclass"],
    direction: "higher",
    range: [0, 1],
    fromTally: (_, t, o, classes) => f1WeightedFromTally(t, o, classes),
    compute: (labels, scores, options) => f1Weighted(labels, scores, classesOf(options)),
  },
  mae: {
    tasks: ["regression"],
    direction: "lower",
    range: [0, Number.POSITIVE_INFINITY],
    fromTally: (_, t, o) => maeFromTally(t, o),
    compute: mae,
  },
  rmse: {
    tasks: ["regression"],
    direction: "lower",
    range: [0, Number.POSITIVE_INFINITY],
    fromTally: (_, t, o) => rmseFromTally(t, o),
    compute: rmse,
  },
  r2: {
    tasks: ["regression"],
    direction: "higher",
    range: [Number.NEGATIVE_INFINITY, 1],
    fromTally: (_, t, o) => r2FromTally(t, o),
    compute: r2,
  },
  mape: {
    tasks: ["regression"],
    direction: "lower",
    range: [0, Number.POSITIVE_INFINITY],
    fromTally: (_, t, o) => mapeFromTally(t, o),
    compute: mape,
  },
};
