import * as z from "zod";
import { ALL_METRICS } from "./metric-names.js";
import { columnName, strictObject } from "./schema-helpers.js";
import { costsSchema, customMetricsSchema, operatingPointSchema } from "./schema-operating.js";
import { predictionsSchema } from "./schema-predictions.js";

/** A metric name known for some task; whether it suits the model's task is checked separately. */
export const metricName = z.enum(ALL_METRICS as [string, ...string[]]);

/**
 * One way of slicing the rows: a column (one slice per value), a numeric column cut into bins,
 * or a cross of two columns.
 */
export const sliceSchema = z
  .union([
    columnName.describe("One slice per value of this column."),
    strictObject({
      column: columnName.describe("A numeric column."),
      bins: z.array(z.number()).min(2).describe("Ascending bin edges; `[a, b)` intervals."),
    }).describe("A numeric column cut into bins."),
    z.tuple([columnName, columnName]).describe("A cross of two columns: one slice per pair of values."),
  ])
  .describe("`column`, `{ column, bins }` or `[column, column]`.");

/** How `evaluate-slices` evaluates the model. */
export const evaluationSchema = strictObject({
  data: z.string().min(1).describe("Evaluation data: a CSV, JSONL or Parquet file, or a glob of them."),
  label: columnName.describe("The column holding the true label (or value, for regression)."),
  threshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe("Score at or above which a binary prediction is positive."),
  metrics: z
    .array(metricName)
    .min(1)
    .describe("Metrics to compute; they must suit the task. Definitions: docs/metrics.md."),
  slices: z.array(sliceSchema).default([]).describe("Slices to evaluate separately."),
  "min-slice-size": z
    .number()
    .int()
    .min(1)
    .default(30)
    .describe("Smaller slices are reported as suppressed, never with their metrics."),
  bootstrap: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe("Bootstrap replicates for confidence intervals (0 = none)."),
  seed: z.number().int().default(0).describe("Seed of the bootstrap's random numbers."),
  baseline: z
    .string()
    .min(1)
    .optional()
    .describe("What to compare against: an alias of this model, a version, or a path to an .onnx file."),
  weight: columnName
    .optional()
    .describe(
      "A column of per-row weights (finite numbers ≥ 0, not all zero), used as scikit-learn's `sample_weight` by every metric, interval and slice total; `min-slice-size` still counts rows. Absent: every row weighs 1. Never a model input or a slice.",
    ),
  costs: costsSchema.optional(),
  "operating-point": operatingPointSchema.optional(),
  "custom-metrics": customMetricsSchema.optional(),
  predictions: predictionsSchema.optional(),
}).describe("How evaluate-slices evaluates the model.");
