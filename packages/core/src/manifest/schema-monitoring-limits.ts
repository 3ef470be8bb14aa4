import * as z from "zod";
import { columnName, strictObject } from "./schema-helpers.js";

/**
 * `monitoring.operations`: limits on the operational health drift-check reads from the logs, per
 * window. A window breaching a limit alerts; windows with fewer than `min-rows` rows are reported
 * but never alert on latency or errors.
 *
 * @example
 * operationsSchema.parse({ "latency-p99": 250, "error-rate": 0.01, volume: { "min-ratio": 0.5 } });
 */
export const operationsSchema = strictObject({
  "latency-p50": z.number().positive().optional().describe("Largest median latency per window, in ms."),
  "latency-p95": z
    .number()
    .positive()
    .optional()
    .describe("Largest 95th-percentile latency per window, in ms."),
  "latency-p99": z
    .number()
    .positive()
    .optional()
    .describe("Largest 99th-percentile latency per window, in ms."),
  "error-rate": z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Largest error rate per window: alerts when its 95% Wilson interval lies wholly above it."),
  volume: strictObject({
    "min-ratio": z
      .number()
      .min(0)
      .optional()
      .describe("A window with fewer rows than this share of the typical (median) window's alerts (a drop)."),
    "max-ratio": z
      .number()
      .positive()
      .optional()
      .describe("A window with more rows than this multiple of the typical window's alerts (a spike)."),
  })
    .optional()
    .describe("Rows per window against the median window of the logged period."),
  "min-rows": z
    .number()
    .int()
    .min(1)
    .default(30)
    .describe("Windows with fewer rows are reported but never alert on latency or error rate."),
}).describe("Limits of operational health per window.");

const metricLimit = strictObject({
  min: z.number().optional().describe("Alerts when the metric's whole 95% interval lies below this."),
  "max-drop": z
    .number()
    .min(0)
    .optional()
    .describe(
      "Alerts when the metric's whole 95% interval lies more than this below the released evaluation's value (a release reference only).",
    ),
});

const errorLimit = strictObject({
  max: z.number().optional().describe("Alerts when the error's whole 95% interval lies above this."),
  "max-rise": z
    .number()
    .min(0)
    .optional()
    .describe(
      "Alerts when the error's whole 95% interval lies more than this above the released evaluation's value (a release reference only).",
    ),
});

const binaryLimits = {
  roc_auc: metricLimit.optional().describe("ROC AUC."),
  accuracy: metricLimit.optional().describe("Accuracy at `evaluation.threshold`."),
  precision: metricLimit.optional().describe("Precision at `evaluation.threshold`."),
  recall: metricLimit.optional().describe("Recall at `evaluation.threshold`."),
};

const estimatedLimits = strictObject({
  ...binaryLimits,
  accuracy: metricLimit
    .optional()
    .describe("Accuracy at `evaluation.threshold` (multiclass: of the most probable class, per window)."),
  f1_macro: metricLimit
    .optional()
    .describe("Macro F1 of the most probable class (multiclass with monitoring.probabilities, per window)."),
}).describe("Limits by metric.");

const performanceLimits = strictObject({
  ...binaryLimits,
  accuracy: metricLimit
    .optional()
    .describe("Accuracy at `evaluation.threshold` (multiclass: of the logged class, per window)."),
  f1_macro: metricLimit
    .optional()
    .describe("Macro F1 of the logged class (multiclass, realised, per window)."),
  mae: errorLimit.optional().describe("Mean absolute error (regression, realised, per window)."),
  rmse: errorLimit.optional().describe("Root mean squared error (regression, realised, per window)."),
}).describe("Limits by metric.");

/**
 * `monitoring.prediction`: limits on prediction health — realised metrics once enough outcomes
 * have arrived, the label-free estimate, the low-confidence share and the predicted-class mix.
 *
 * @example
 * predictionLimitsSchema.parse({ realised: { roc_auc: { min: 0.7, "max-drop": 0.05 } }, "low-confidence": { below: 0.6, "max-share": 0.3 } });
 */
export const predictionLimitsSchema = strictObject({
  realised: performanceLimits
    .optional()
    .describe(
      "Limits on metrics of the rows whose outcome has arrived, judged per window for every task (binary roc_auc, accuracy, precision, recall; multiclass accuracy, f1_macro; regression mae, rmse) on the window's interval as evaluate computes it: Gaussian from the influence functions where a binary window has enough rows of each kind, else the bootstrap; the whole period's value is shown, not judged.",
    ),
  estimated: estimatedLimits
    .optional()
    .describe(
      "Limits on the label-free estimate (CBPE): binary classifiers over the period (roc_auc, accuracy, precision, recall); multiclass with monitoring.probabilities per window (accuracy, f1_macro); none for regression. Alert on its interval when the reference established a calibration, else warn on its value.",
    ),
  "min-labelled": z
    .number()
    .int()
    .min(1)
    .default(100)
    .describe(
      "Labelled rows a window needs before its realised limits are judged; with no such window the check is skipped and says so.",
    ),
  "low-confidence": strictObject({
    below: z
      .number()
      .gt(0.5)
      .max(1)
      .default(0.6)
      .describe("A binary score is low-confidence when max(p, 1 − p) is below this."),
    "max-share": z
      .number()
      .min(0)
      .max(1)
      .describe("Alerts when a window's low-confidence share has its whole 95% Wilson interval above this."),
  })
    .optional()
    .describe("Share of low-confidence scores per window (binary classifiers)."),
  "class-mix": strictObject({
    "max-shift": z
      .number()
      .min(0)
      .max(1)
      .describe(
        "Alerts when a window's predicted-class shares differ from the reference's by more than this (total variation distance: half the summed absolute differences).",
      ),
  })
    .optional()
    .describe(
      "Predicted-class mix per window against the reference's (binary: at the threshold; multiclass: the logged class).",
    ),
  "min-rows": z
    .number()
    .int()
    .min(1)
    .default(30)
    .describe("Windows with fewer scored rows never alert on low-confidence share or class mix."),
}).describe("Limits of prediction health.");

/**
 * One entry of `monitoring.kpis`: a business KPI computed per window from a logged field.
 *
 * @example
 * kpiSchema.parse({ name: "retained", field: "retained", aggregate: "rate", min: 0.8 });
 */
export const kpiSchema = strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9_-]+$/, "a KPI name is lower-case letters, digits, - and _")
    .describe("Name shown in the report and the issue, e.g. `retained`."),
  field: columnName.describe("The logged field it is computed from."),
  aggregate: z
    .enum(["rate", "mean", "sum"])
    .describe(
      "`rate`: share of rows whose field is true (a boolean, 1/0 or the text true/false); `mean` and `sum` of a numeric field.",
    ),
  min: z.number().optional().describe("Smallest acceptable value per window."),
  max: z.number().optional().describe("Largest acceptable value per window."),
  "min-rows": z
    .number()
    .int()
    .min(1)
    .default(30)
    .describe("Windows with fewer values of the field never alert on this KPI."),
}).describe("A business KPI per window.");
