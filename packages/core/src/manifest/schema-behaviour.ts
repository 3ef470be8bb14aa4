import * as z from "zod";
import { columnName, strictObject, withFix } from "./schema-helpers.js";

const share = z.number().min(0).max(1);
const cellValue = z.union([z.string(), z.number(), z.boolean()]);

const casesSchema = strictObject({
  path: z.string().min(1).describe("Known cases: a CSV/JSONL/Parquet file of model inputs, one case a row."),
  expected: columnName
    .default("expected")
    .describe(
      "Column with the expected class (one of `artefact.classes`); empty where a score range is given.",
    ),
  "min-score": columnName
    .default("min_score")
    .describe("Column with the lowest acceptable score of the row (optional in the file)."),
  "max-score": columnName
    .default("max_score")
    .describe("Column with the highest acceptable score of the row (optional in the file)."),
  id: columnName.optional().describe("Column naming each case in the report (default: its row number)."),
});

const invarianceTest = strictObject({
  column: columnName.describe("A model input column that should not matter."),
  values: z
    .array(cellValue)
    .min(2)
    .optional()
    .describe(
      "Values to set the column to on every sampled row; the score may differ by at most `tolerance`.",
    ),
  range: z
    .tuple([z.number(), z.number()])
    .optional()
    .describe("A numeric range `[low, high]`: the column is set to five evenly spaced values within it."),
  tolerance: share.describe("Largest allowed spread of one row's scores across the values."),
}).describe("Invariance: `{ column, values | range, tolerance }`.");

const directionalTest = strictObject({
  column: columnName.describe("A numeric model input column."),
  by: z
    .number()
    .refine((v) => v !== 0, { message: withFix("by must not be 0", "give the step, e.g. by: 3") })
    .describe("Step added to the column (negative to lower it)."),
  expect: z.enum(["increase", "decrease"]).describe("Which way the score should move (or stay)."),
  tolerance: share
    .default(0)
    .describe("A score move the wrong way smaller than this is not a violation (default 0)."),
  "max-violations": share
    .default(0)
    .describe("Largest share of rows allowed to move the wrong way (default 0)."),
}).describe("Directional expectation: `{ column, by, expect: increase | decrease }`.");

const edgeCasesSchema = strictObject({
  refuse: z
    .array(columnName)
    .default([])
    .describe(
      "Columns whose out-of-contract values (null where not nullable, outside the range, unseen categories) the model is documented to refuse: a crash there passes.",
    ),
  rows: z.number().int().min(1).max(1000).default(20).describe("Sampled rows each edge value is set on."),
});

const robustnessSchema = strictObject({
  noise: z
    .number()
    .gt(0)
    .max(1)
    .describe(
      "Largest perturbation of each numeric input, as a share of the column's standard deviation in the sample; perturbed values stay inside the contract's range.",
    ),
  "max-flip-rate": share.describe("Largest share of perturbed rows whose decision flips."),
  "max-score-change": share.optional().describe("Largest allowed score change of one perturbed row."),
  repeats: z.number().int().min(1).max(100).default(5).describe("Perturbed copies of each sampled row."),
  far: z
    .number()
    .gt(0)
    .default(10)
    .describe(
      "Out-of-distribution probes: each numeric input is set to the sample's maximum plus this many standard deviations (capped at the contract's max). Confidence rising there warns.",
    ),
});

/** How `check-behaviour` tests the model's behaviour. */
export const behaviourSchema = strictObject({
  cases: z
    .union([z.string().min(1), casesSchema])
    .optional()
    .describe(
      "Known cases (the model's unit tests): a path, or `{ path, expected, min-score, max-score, id }`. Each row holds the model's input columns and an expected class, or a score range.",
    ),
  data: z
    .string()
    .min(1)
    .optional()
    .describe("Rows the generated probes start from (default: `evaluation.data`)."),
  sample: z.number().int().min(1).max(100_000).default(500).describe("Rows sampled from `data`."),
  seed: z
    .number()
    .int()
    .optional()
    .describe("Seed of the sample and the noise (default: `evaluation.seed`, else 0)."),
  threshold: share.optional().describe("Decision threshold (default: `evaluation.threshold`, else 0.5)."),
  invariance: z.array(invarianceTest).default([]).describe("Features that should not move the score."),
  directional: z
    .array(directionalTest)
    .default([])
    .describe("Features whose change should move the score one way."),
  "edge-cases": z
    .union([z.boolean(), edgeCasesSchema])
    .default(false)
    .describe(
      "Generate edge cases from the data contract (nulls, min, max, just outside the range, unseen categories, empty strings): `true`, or `{ refuse, rows }`. The model must return finite in-range scores, or refuse where `refuse` says so.",
    ),
  robustness: robustnessSchema.optional().describe("Small perturbations and out-of-distribution probes."),
  examples: z
    .boolean()
    .optional()
    .describe(
      "Show the rows where candidate and production disagree most, with their values, for the approver (default: true unless a contract column is `sensitive`).",
    ),
}).describe("Behavioural tests run by check-behaviour.");

/** The `behaviour:` section of a manifest. */
export type BehaviourSpec = z.output<typeof behaviourSchema>;
