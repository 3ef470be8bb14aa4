import * as z from "zod";
import { DURATION_PATTERN, isWindowWidth, WINDOW_WIDTH_FIX } from "./duration.js";
import { sliceSchema } from "./schema-evaluation.js";
import { columnName, githubPrincipal, strictObject, withFix } from "./schema-helpers.js";

const duration = z
  .string()
  .regex(
    DURATION_PATTERN,
    withFix("expected a duration such as 1d or 12h", "write a number and a unit (w, d, h, m, s)"),
  );
const nonNegative = z.number().min(0);

/** How `shadow-compare` compares the candidate with the served model on logged traffic. */
export const shadowSchema = strictObject({
  log: z.string().min(1).describe("Logged traffic: a JSONL/CSV/Parquet file or glob."),
  id: columnName.describe("Field identifying a request."),
  features: columnName.optional().describe("Nested object holding the features (omit when the row is flat)."),
  champion: z
    .union([columnName, z.array(columnName).min(2)])
    .describe(
      "Field with the served (champion) score: the positive-class probability (binary), the predicted class, one of artefact.classes (multiclass; or a list of per-class probability fields in artefact.classes order, the most probable class taken), the predicted value (regression).",
    ),
  challenger: z
    .union([columnName, z.array(columnName).min(2)])
    .optional()
    .describe(
      "Field with the candidate's logged score, in the champion's form; when omitted the candidate is scored here.",
    ),
  latency: columnName.optional().describe("Field with the logged latency in milliseconds."),
  weight: columnName
    .optional()
    .describe(
      "Field with each request's sample weight (a finite number ≥ 0), used by the outcome metrics as `evaluation.weight` is by evaluate-slices. Agreement, score distributions and latency count every request once.",
    ),
  threshold: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Decision threshold (default: evaluation.threshold); binary only."),
  tolerance: nonNegative
    .optional()
    .describe(
      "Regression only: predictions further apart than this disagree (counted by max-disagreement). Default 0: any difference.",
    ),
  "max-disagreement": z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      "Largest share of requests where the decisions differ (binary: at the threshold; multiclass: the predicted class; regression: by more than tolerance).",
    ),
  "max-psi": nonNegative
    .optional()
    .describe("Largest population stability index between the two score distributions."),
  "max-latency-p99-ms": nonNegative.optional().describe("Largest 99th-percentile latency in milliseconds."),
  "max-skew": nonNegative
    .optional()
    .describe("Largest share of rows where served features differ from offline features."),
  "offline-features": z
    .string()
    .min(1)
    .optional()
    .describe("Data file with the same requests' features computed offline, for the skew check."),
  slices: z.array(sliceSchema).optional().describe("Slices to compare separately (as in evaluation)."),
  "min-requests": z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      "Fewest requests compared (after repeated ids and unusable rows are left out) for a verdict; fewer fail the comparison. Default 1000.",
    ),
}).describe("How shadow-compare compares the candidate with the served model.");

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

/** Rows of the evaluation data promote keeps in the release's reference sample by default. */
export const REFERENCE_SAMPLE_ROWS = 100_000;

/** How `drift-check` watches the production model's predictions. */
export const monitoringSchema = strictObject({
  predictions: z.string().min(1).describe("Prediction logs: a file or glob downloaded by an earlier step."),
  reference: z
    .string()
    .min(1)
    .default("production")
    .describe("profile.json of this alias's release, or a path to a profile or data file."),
  "version-field": columnName
    .optional()
    .describe("Field with the model version; other versions are skipped."),
  features: columnName.optional().describe("Nested object holding the features (as in shadow)."),
  id: columnName.optional().describe("Field identifying a request."),
  timestamp: columnName.optional().describe("Field with the prediction time."),
  score: columnName.optional().describe("Field with the served score."),
  outcome: columnName.optional().describe("Field with the true outcome; may be missing on most rows."),
  probabilities: z
    .array(columnName)
    .min(2)
    .optional()
    .describe(
      "Multiclass: fields with the served per-class probabilities, in artefact.classes order. drift-check then estimates each window's accuracy and macro F1 without labels (CBPE, recalibrated one-vs-rest on the release's labelled reference).",
    ),
  latency: columnName
    .optional()
    .describe("Field with each request's latency (operational health: percentiles per window)."),
  "latency-unit": z
    .enum(["ms", "s"])
    .optional()
    .describe(
      "Unit of `latency`. Unset, latencies whose median is below 1 are refused as probably seconds; set `s` or `ms` to say which.",
    ),
  error: columnName
    .optional()
    .describe(
      "Field flagging a failed request: true/false, 1/0, or the text true/false/1/0 (operational health: error rate per window).",
    ),
  operations: operationsSchema
    .optional()
    .describe("Limits of operational health per window: latency percentiles, error rate, volume."),
  kpis: z
    .array(kpiSchema)
    .optional()
    .describe(
      "Business KPIs per window: `rate` and `mean` alert when their whole 95% interval is beyond a limit (Wilson; normal for the mean), `sum` when its value is; windows without the field say so and never alert.",
    ),
  multivariate: strictObject({
    variance: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.65)
      .describe("Share of the standardised variance the kept principal components explain (NannyML's 0.65)."),
    chunks: z
      .number()
      .int()
      .min(3)
      .default(10)
      .describe(
        "Reference chunks the limits come from: their mean reconstruction error ± 3 standard deviations.",
      ),
  })
    .optional()
    .describe(
      "Multivariate drift: PCA reconstruction error of the numeric features per window against limits from reference chunks (as NannyML); needs the reference's rows (a data file, or a release with reference-sample.parquet).",
    ),
  slices: z
    .array(columnName)
    .optional()
    .describe(
      "Feature columns to segment by (e.g. `[region]`): every statistic is also computed per segment, and the issue names the worst segments.",
    ),
  owners: z
    .record(z.string().regex(/^[^=]+=.*$/, 'a key is "<slice>=<value>", e.g. "region=AE"'), githubPrincipal)
    .optional()
    .describe(
      'Owner per segment, e.g. `{ "region=AE": "@acme/uae-ml" }`: mentioned (a team) or assigned (a user) when their segment alerts.',
    ),
  "segment-min-rows": z
    .number()
    .int()
    .min(1)
    .default(100)
    .describe("Segments with fewer rows are reported but never alert."),
  prediction: predictionLimitsSchema
    .optional()
    .describe(
      "Limits of prediction health: realised and estimated metrics, low-confidence share, predicted-class mix.",
    ),
  window: duration
    .refine((text) => !DURATION_PATTERN.test(text) || isWindowWidth(text), {
      message: withFix("a window must be longer than zero", WINDOW_WIDTH_FIX),
    })
    .optional()
    .describe(
      "Width of each reporting window (`1d`), longer than zero: results are given per window over the logged period, so the report shows when a change began.",
    ),
  drift: strictObject({
    method: z
      .enum(["auto", "psi", "ks", "wasserstein", "jensen-shannon", "chi-square"])
      .default("auto")
      .describe("Drift statistic; `auto` picks per column type."),
    warn: nonNegative
      .optional()
      .describe(
        "Drift at or above this warns; when absent, derived from the variability between chunks of the reference.",
      ),
    alert: nonNegative
      .optional()
      .describe(
        "Drift at or above this alerts; when absent, derived from the variability between chunks of the reference.",
      ),
  })
    .prefault({})
    .describe("Drift statistic and thresholds."),
  retrain: strictObject({
    workflow: z.string().min(1).describe("Workflow file to dispatch, e.g. retrain.yml."),
    after: z
      .union([z.number().int().min(1), z.literal("never")])
      .optional()
      .describe(
        "Drift trigger: dispatch after this many consecutive alerting runs, or `never`. When absent: 1 in a section without `labels` and `every`, otherwise off (next to `labels` or `every`, drift retrains only when `after` is set).",
      ),
    "on-performance": z
      .boolean()
      .optional()
      .describe(
        "Performance trigger: dispatch at once, without waiting for `after` runs, when a `monitoring.prediction` performance limit (realised or estimated) fails. When absent: on in a section without `labels` and `every`, otherwise off.",
      ),
    labels: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "Dispatch once this many labelled rows (rows whose `monitoring.outcome` has arrived) were logged in whole windows that start after the production release or the last dispatch, whichever is later. Needs `monitoring.outcome`.",
      ),
    every: duration
      .refine((text) => !DURATION_PATTERN.test(text) || isWindowWidth(text), {
        message: withFix("a schedule must be longer than zero", "write a duration such as 30d or 2w"),
      })
      .optional()
      .describe(
        "Dispatch when this long (`30d`) has passed since the production release or the last dispatch, whichever is later.",
      ),
  })
    .optional()
    .describe(
      "Dispatch a retraining workflow after repeated alerts (`after`), on a failed performance limit (`on-performance`), once enough new labelled rows were logged (`labels`), or on a schedule (`every`); one dispatch per run names every trigger that fired, with the window and the logged period. Without `labels` and `every`, drift and performance retrain by default; with either, only the triggers the section sets fire.",
    ),
  "close-after": z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Close the drift issue after this many consecutive runs without alerts."),
  "reference-sample": strictObject({
    "max-rows": z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(REFERENCE_SAMPLE_ROWS)
      .describe(
        `Most rows of the evaluation data kept (a seeded uniform sample beyond; 0 = no sample). Default ${REFERENCE_SAMPLE_ROWS}.`,
      ),
  })
    .prefault({})
    .describe(
      "The exact reference promote attaches to the release next to profile.json (reference-sample.parquet): the evaluation data's feature columns and the model's scores, never keys, ids, labels or outcomes. drift-check computes its statistics on it exactly; without it they come from the profile's sketches.",
    ),
}).describe("How drift-check watches the production model.");
