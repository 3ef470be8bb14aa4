import * as z from "zod";

const metricResult = z.object({
  value: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable().optional(),
  reason: z.string().optional(),
  /** Deltas: the simultaneous interval over the report's comparisons (absent in older files). */
  ciAdjusted: z.tuple([z.number(), z.number()]).nullable().optional(),
});
const metricMap = z.record(z.string(), metricResult);
// Suppressed slices record their size as "< k", so n is a number or a string.
const size = z.union([z.number().int().min(0), z.string()]);
const slice = z.object({
  key: z.record(z.string(), z.string()),
  n: size,
  suppressed: z.boolean(),
  metrics: metricMap,
});
const model = z.object({
  name: z.string(),
  version: z.string(),
  sha256: z.string().optional(),
});

const gapValue = z.object({
  value: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  ciAdjusted: z.tuple([z.number(), z.number()]).nullable().optional(),
  reason: z.string().optional(),
});
const fairnessGap = z.object({
  across: z.string(),
  criterion: z.string(),
  groups: z.array(z.string()),
  leftOut: z.array(z.object({ group: z.string(), why: z.enum(["suppressed", "undefined"]) })),
  gap: gapValue,
  ratio: gapValue,
  class: z.string().optional(),
  adjustment: z
    .object({
      method: z.literal("bonferroni"),
      level: z.number().gt(0).lt(1),
      family: z.number().int().min(1),
      perInterval: z.number().gt(0).lt(1),
    })
    .optional(),
  decision: z
    .object({
      method: z.string(),
      level: z.number().gt(0).lt(1),
      comparisons: z.number().int().min(1),
      bound: z.number(),
      rate: z.string(),
      groups: z.tuple([z.string(), z.string()]),
      // Max-T decisions (files before them: Bonferroni, without these).
      adjustment: z.literal("max-t").optional(),
      family: z.number().int().min(1).optional(),
      limit: z.number().min(0).optional(),
      critical: z.number().optional(),
      bonferroni: z.number().optional(),
      rates: z
        .array(
          z.object({
            rate: z.string(),
            groups: z.array(z.object({ group: z.string(), value: z.number(), se: z.number().min(0) })),
          }),
        )
        .optional(),
    })
    .optional(),
});

/**
 * The parts of `evaluation.json` the gate reads. Fields it does not read (a stored `status`,
 * say) are dropped on parsing, so nothing but the recorded numbers can sway a verdict.
 *
 * @example
 * evaluationFileSchema.parse(JSON.parse(text)).overall.metrics.roc_auc?.value; // 0.84
 */
export const evaluationFileSchema = z.object({
  schema: z.string(),
  model,
  rows: z.number().int().min(0),
  /** The level of every recorded interval; evaluations that do not say used 0.95. */
  confidence: z.number().gt(0).lt(1).default(0.95),
  overall: z.object({ n: size, metrics: metricMap }),
  slices: z.array(slice).default([]),
  baseline: z
    .object({
      overall: z.object({ n: size, metrics: metricMap, delta: metricMap }),
      slices: z.array(slice.extend({ delta: metricMap })).default([]),
    })
    // evaluate-slices writes null when nothing was compared (first version).
    .nullable()
    .optional(),
  /** Custom metrics' definitions: the gate reads their direction. */
  custom: z
    .record(
      z.string(),
      z.object({ expression: z.string(), from: z.string(), direction: z.enum(["higher", "lower"]) }),
    )
    .optional(),
  /** Gaps and ratios between groups, for the gate's fairness rules (absent in older files). */
  fairness: z.array(fairnessGap).optional(),
});

/** `evaluation.json` as the gate reads it. */
export type EvaluationFile = z.output<typeof evaluationFileSchema>;

/** One slice of {@link EvaluationFile}. */
export type EvaluationSlice = EvaluationFile["slices"][number];

/** One metric of a group: point value, interval, and why it is null when it is. */
export type RecordedMetric = z.output<typeof metricResult>;

const check = z.object({
  id: z.string(),
  column: z.string().optional(),
  status: z.enum(["pass", "warn", "fail", "skip"]),
  value: z.union([z.number(), z.string(), z.boolean()]).nullable(),
  limit: z
    .union([z.number(), z.string(), z.boolean(), z.array(z.union([z.number(), z.string()]))])
    .nullable(),
  reason: z.string(),
});

/**
 * The parts of `validation.json` and `shadow.json` the gate reads: their checks. Their stored
 * top-level `status` is read only to say when it disagrees with the checks.
 *
 * @example
 * checksFileSchema.parse(JSON.parse(text)).checks.length; // 21
 */
export const checksFileSchema = z.object({
  schema: z.string(),
  model,
  status: z.string().optional(),
  checks: z.array(check),
});

/** `validation.json` or `shadow.json` as the gate reads it. */
export type ChecksFile = z.output<typeof checksFileSchema>;
