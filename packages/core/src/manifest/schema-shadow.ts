import * as z from "zod";
import { sliceSchema } from "./schema-evaluation.js";
import { columnName, strictObject } from "./schema-helpers.js";

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
