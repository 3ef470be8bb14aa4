import * as z from "zod";
import { columnName, strictObject } from "./schema-helpers.js";

/** One model's supplied scores: a column, or one column per class in `artefact.classes` order. */
const scoreColumns = z
  .union([columnName, z.array(columnName).min(2)])
  .describe(
    "The column holding the score (binary: the positive class's probability; regression: the predicted value), " +
      "or one column per class in `artefact.classes` order holding class probabilities that sum to 1.",
  );

/**
 * Scores computed elsewhere (a service, a pipeline that does not export to ONNX, an LLM-based
 * classifier): with it no model is loaded, the artefact is any file verified by its SHA-256 only,
 * and every metric, interval, gate rule and release uses these scores.
 */
export const predictionsSchema = strictObject({
  file: z
    .string()
    .min(1)
    .optional()
    .describe(
      "A CSV, JSONL or Parquet file (or glob) of scores, joined to the evaluation data by `key`; " +
        "without it the score columns are read from `evaluation.data` itself.",
    ),
  key: z
    .union([columnName, z.array(columnName).min(1)])
    .optional()
    .describe(
      "The column(s) both `file` and the evaluation data hold, one row per value; default `data.key`. Every " +
        "evaluation row needs exactly one row of scores.",
    ),
  candidate: scoreColumns.describe(
    "The candidate's scores: a column (binary: positive-class probability; regression: predicted value), or one " +
      "column per class in `artefact.classes` order whose probabilities sum to 1 (within 0.005).",
  ),
  baseline: scoreColumns
    .optional()
    .describe(
      "The baseline's scores, in the same form; it then replaces `evaluation.baseline` as what the candidate is compared with.",
    ),
}).describe(
  "Precomputed scores: the evaluation, gate and release use them instead of running an ONNX model. The artefact " +
    "may then be any file (pickle, container digest, archive), verified by its SHA-256 only.",
);

/** `evaluation.predictions` of a manifest. */
export type PredictionsSpec = z.output<typeof predictionsSchema>;
