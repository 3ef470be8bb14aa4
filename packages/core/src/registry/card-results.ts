import * as z from "zod";
import { evaluationProvenanceSchema } from "../report/evaluation-provenance.js";

const metric = z.object({
  value: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable().optional(),
});
const metrics = z.record(z.string(), metric);
const model = z.object({ name: z.string(), version: z.string(), sha256: z.string().optional() });

/**
 * The parts of `evaluation.json` the model card shows. Other fields pass through untouched:
 * the file itself is attached to the release as written.
 *
 * @example
 * cardEvaluationSchema.parse(JSON.parse(text)).overall.metrics["roc_auc"]?.value; // 0.84
 */
export const cardEvaluationSchema = z.object({
  schema: z.string(),
  model,
  /** The weight column every metric was weighted by (`evaluation.weight`); then groups carry `weight`. */
  weightColumn: z.string().optional(),
  overall: z.object({ n: z.union([z.number(), z.string()]), weight: z.number().optional(), metrics }),
  slices: z
    .array(
      z.object({
        key: z.record(z.string(), z.string()),
        n: z.union([z.number(), z.string()]),
        weight: z.number().optional(),
        suppressed: z.boolean(),
        metrics,
      }),
    )
    .default([]),
  /** Absent from files written before it existed; a malformed block is left out, not fatal. */
  provenance: evaluationProvenanceSchema.optional().catch(undefined),
});

/** `evaluation.json` as the model card reads it. */
export type CardEvaluation = z.output<typeof cardEvaluationSchema>;

/**
 * The parts of `gate.json` the model card shows: the verdict, its reasons and who approved.
 *
 * @example
 * cardGateSchema.parse(JSON.parse(text)).status; // "pass"
 */
export const cardGateSchema = z.object({
  schema: z.string(),
  model,
  status: z.string(),
  reasons: z.array(z.string()).default([]),
  approvals: z
    .object({ counted: z.array(z.object({ user: z.string(), via: z.string().optional() })).default([]) })
    .optional(),
});

/** `gate.json` as the model card reads it. */
export type CardGate = z.output<typeof cardGateSchema>;

/** The gate as GitHub recorded it for the merged pull request (check run and reviews). */
export interface GateVerdict {
  pullNumber: number;
  headSha: string;
  /** Conclusion of check run `gauntlet/<model>` on the head commit. */
  conclusion: string;
  /** Logins that approved the pull request. */
  approvers: string[];
}
