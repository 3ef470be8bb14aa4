import * as z from "zod";
import { columnName, strictObject, withFix } from "./schema-helpers.js";

const share = z.number().min(0).max(1);
// A change of a prediction: a probability for classifiers, the target's units for regression.
const change = z.number().min(0);
const cellValue = z.union([z.string(), z.number(), z.boolean()]);

const casesSchema = strictObject({
  path: z.string().min(1).describe("Known cases: a CSV/JSONL/Parquet file of model inputs, one case a row."),
  expected: columnName
    .default("expected")
    .describe(
      "Column with the expected class (one of `artefact.classes`; the most probable class for multiclass); empty where a score range is given, and always for regression.",
    ),
  "min-score": columnName
    .default("min_score")
    .describe(
      "Column with the lowest acceptable score of the row (optional in the file): the positive-class score (binary), the decided class's probability (multiclass), the predicted value (regression).",
    ),
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
  tolerance: change.describe(
    "Largest allowed spread of one row's prediction across the values: of the score (binary), of any class's probability (multiclass), of the predicted value in the target's units (regression).",
  ),
}).describe("Invariance: `{ column, values | range, tolerance }`.");

const directionalTest = strictObject({
  column: columnName.describe("A numeric model input column."),
  by: z
    .number()
    .refine((v) => v !== 0, { message: withFix("by must not be 0", "give the step, e.g. by: 3") })
    .describe("Step added to the column (negative to lower it)."),
  expect: z
    .enum(["increase", "decrease"])
    .describe(
      "Which way the prediction should move (or stay): the score (binary), the probability of `class` (multiclass), the predicted value (regression).",
    ),
  class: z
    .union([z.string(), z.number()])
    .optional()
    .describe(
      "Multiclass only (and required there): the class (one of `artefact.classes`) whose probability should move.",
    ),
  tolerance: change
    .default(0)
    .describe(
      "A move the wrong way smaller than this is not a violation (default 0; target's units for regression).",
    ),
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
  "max-flip-rate": share.describe(
    "Largest share of perturbed rows whose decision flips: the class at `threshold` (binary), the most probable class (multiclass), or for regression a predicted value moving more than `tolerance`.",
  ),
  tolerance: change
    .optional()
    .describe(
      "Regression only (and required there): a perturbed row's predicted value moving more than this counts as a flip.",
    ),
  "max-score-change": change
    .optional()
    .describe(
      "Largest allowed change of one perturbed row's prediction: the score (binary), any class's probability (multiclass), the predicted value (regression).",
    ),
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
  invariance: z
    .array(invarianceTest)
    .default([])
    .describe("Features that should not move the prediction (score, class probabilities or value)."),
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
}).describe(
  "Behavioural tests run by check-behaviour, on every task: they judge a binary model's positive-class score (its decision at `threshold`), a multiclass model's class probabilities (its decision is the most probable class; confidence is that class's probability) and a regressor's predicted value (tolerances and changes in the target's units; a regressor has no confidence, so the out-of-distribution check is skipped). What each test measures per task: actions/check-behaviour/README.md.",
);

/** The `behaviour:` section of a manifest. */
export type BehaviourSpec = z.output<typeof behaviourSchema>;
