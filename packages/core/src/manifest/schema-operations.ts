import * as z from "zod";
import { DURATION_PATTERN, isWindowWidth, WINDOW_WIDTH_FIX } from "./duration.js";
import { columnName, githubPrincipal, strictObject, withFix } from "./schema-helpers.js";
import { kpiSchema, operationsSchema, predictionLimitsSchema } from "./schema-monitoring-limits.js";

const duration = z
  .string()
  .regex(
    DURATION_PATTERN,
    withFix("expected a duration such as 1d or 12h", "write a number and a unit (w, d, h, m, s)"),
  );
const nonNegative = z.number().min(0);

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
