import * as z from "zod";
import type { OperatingSpec } from "../metrics/operating-point.js";
import { strictObject } from "./schema-helpers.js";

/** `evaluation.costs`: the value of each outcome of one decision, for the `value` metrics. */
export const costsSchema = strictObject({
  tp: z.number().describe("Value of a true positive (a benefit is positive)."),
  fp: z.number().describe("Value of a false positive (a cost is negative)."),
  fn: z.number().describe("Value of a false negative."),
  tn: z.number().describe("Value of a true negative."),
}).describe(
  "Value of each outcome per decision: `value` is the expected value per row at `threshold`, `value_max` the best over every threshold (chosen on the same rows: optimistic), `threshold_value` that threshold.",
);

/** `evaluation.operating-point`: the targets of the operating-point metrics. */
export const operatingPointSchema = strictObject({
  "min-precision": z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("`recall_at_precision`: the largest recall at a threshold whose precision is at least this."),
  "target-tpr": z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("`fpr_at_tpr`: the false-positive rate at the first threshold whose recall reaches this."),
  k: z
    .number()
    .gt(0)
    .optional()
    .describe(
      "`precision_at_k`: the share of positives among the k highest-scored rows (weights count as rows).",
    ),
}).describe(
  "Targets of the operating-point metrics `recall_at_precision`, `fpr_at_tpr` and `precision_at_k`.",
);

/**
 * The operating-point spec `evaluate` takes, from the manifest's `evaluation.costs` and
 * `evaluation.operating-point`.
 *
 * @example
 * operatingSpecOf({ costs: { tp: 1, fp: -1, fn: 0, tn: 0 }, "operating-point": { k: 50 } });
 * // { costs: { tp: 1, fp: -1, fn: 0, tn: 0 }, k: 50 }
 */
export function operatingSpecOf(evaluation: {
  costs?: z.output<typeof costsSchema> | undefined;
  "operating-point"?: z.output<typeof operatingPointSchema> | undefined;
}): OperatingSpec {
  const point = evaluation["operating-point"] ?? {};
  return {
    ...(evaluation.costs ? { costs: evaluation.costs } : {}),
    ...(point["min-precision"] !== undefined ? { minPrecision: point["min-precision"] } : {}),
    ...(point["target-tpr"] !== undefined ? { targetTpr: point["target-tpr"] } : {}),
    ...(point.k !== undefined ? { k: point.k } : {}),
  };
}
