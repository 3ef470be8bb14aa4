import * as z from "zod";
import { DURATION_PATTERN } from "./duration.js";
import { columnName, strictObject, withFix } from "./schema-helpers.js";

/** The stage every rollout ends at: its alias is the one consumers of the model read. */
export const FINAL_STAGE = "production";

const stageName = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    withFix("expected lowercase letters, digits and dashes", "name the stage e.g. canary or pilot-eu"),
  );

const stageSchema = strictObject({
  stage: stageName.describe("Stage name: alias `<name>/<stage>` and environment `<name>/<stage>`."),
  traffic: z
    .number()
    .gt(0)
    .max(1)
    .describe("Share of requests the new version serves at this stage (0 < traffic ≤ 1)."),
  "min-requests": z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Fewest requests the new version must serve in this stage before it may leave it."),
  "min-duration": z
    .string()
    .regex(
      DURATION_PATTERN,
      withFix("expected a duration such as 24h", "write a number and a unit (w, d, h, m, s)"),
    )
    .optional()
    .describe("Shortest time the stage lasts (from its deployment to the newest logged request)."),
});

const signalCheck = strictObject({
  signal: z.enum(["latency-p99", "error-rate"]).describe("Operational signal compared between the arms."),
  "max-ratio": z
    .number()
    .gt(0)
    .optional()
    .describe("latency-p99: largest new/incumbent ratio of the 99th-percentile latency."),
  "max-increase": z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("error-rate: largest increase of the error rate (new minus incumbent)."),
});

const metricCheck = strictObject({
  metric: z.literal("roc_auc").describe("Quality metric realised on the requests whose outcome arrived."),
  "max-drop": z.number().min(0).max(1).describe("Largest drop of the metric (incumbent minus new)."),
});

const kpiCheck = strictObject({
  kpi: columnName.describe("Field with a business KPI per request (a number, or 0/1 for a rate)."),
  "min-lift": z
    .number()
    .gt(-1)
    .describe(
      "Smallest relative lift (new mean / incumbent mean − 1) to accept; a negative value (e.g. -0.01) makes a non-inferiority guardrail, 0 asks for proof of no loss.",
    ),
  covariate: columnName
    .optional()
    .describe("Field with the same KPI over a pre-period for the same unit: CUPED variance reduction."),
});

const predictionCheck = strictObject({
  prediction: z
    .enum(["score", "class"])
    .describe(
      "Prediction signal compared between the arms: `score` the mean served score (rollout.score), `class` each class's share of the served classes (rollout.class, or the score at `threshold`).",
    ),
  "max-shift": z
    .number()
    .gt(0)
    .describe(
      "Largest shift accepted either way: of the mean score (new minus incumbent, in score units) or of any class's share (0 to 1).",
    ),
  threshold: z
    .number()
    .optional()
    .describe(
      "class without rollout.class: a request's class is `positive` when its score is at or above this (default 0.5), else `negative`.",
    ),
  "on-fail": z
    .enum(["hold", "rollback"])
    .default("hold")
    .describe(
      "What a shift beyond max-shift does: `hold` (default; a new model is expected to predict differently, so a person decides — raise max-shift or roll back) or `rollback` (the shift means broken inputs).",
    ),
});

/** One check of `rollout.checks`. */
const checkSchema = z
  .union([signalCheck, metricCheck, kpiCheck, predictionCheck])
  .superRefine((check, ctx) => {
    if ("prediction" in check) {
      if (check.prediction === "score" && check.threshold !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["threshold"],
          message: withFix("threshold applies to prediction: class", "remove threshold from this check"),
        });
      }
      return;
    }
    if (!("signal" in check)) return;
    const need = check.signal === "latency-p99" ? "max-ratio" : "max-increase";
    const other = check.signal === "latency-p99" ? "max-increase" : "max-ratio";
    if (check[need] === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [need],
        message: withFix(`missing: ${check.signal} needs ${need}`, `add ${need}: to this check`),
      });
    }
    if (check[other] !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [other],
        message: withFix(`${other} does not apply to ${check.signal}`, `use ${need}: instead`),
      });
    }
  });

/**
 * `rollout:` of a manifest: with it a merge releases the version to the first stage, and
 * `canary-check` moves it stage by stage to `production` or rolls it back.
 *
 * @example
 * rolloutSchema.safeParse({ log: "logs/*.jsonl", stages: [{ stage: "canary", traffic: 0.05 }] }).success;
 * // false: the stages must end at production
 */
export const rolloutSchema = strictObject({
  log: z
    .string()
    .min(1)
    .describe("Served-traffic logs: a JSONL/CSV/Parquet file or glob, one row per request."),
  "version-field": columnName
    .default("model_version")
    .describe("Field with the version (or experiment arm) that served the request."),
  timestamp: columnName.default("timestamp").describe("Field with the request time."),
  latency: columnName.optional().describe("Field with the latency in milliseconds (for latency-p99)."),
  error: columnName
    .optional()
    .describe("Field flagging a failed request, true/false or 1/0 (for error-rate)."),
  score: columnName.optional().describe("Field with the served score (for metrics and the score chart)."),
  outcome: columnName
    .optional()
    .describe("Field with the realised outcome, 0/1; arrives late, may be missing."),
  class: columnName
    .optional()
    .describe("Field with the served class (multiclass, or a binary decision), for `prediction: class`."),
  alpha: z
    .number()
    .gt(0)
    .max(0.5)
    .default(0.05)
    .describe(
      "Error rate of the decisions, however often the check looks (always-valid confidence sequences, split across the checks). Default 0.05.",
    ),
  "srm-alpha": z
    .number()
    .gt(0)
    .max(0.5)
    .default(0.001)
    .describe("Error rate of the sequential sample-ratio-mismatch test. Default 0.001."),
  stages: z
    .array(stageSchema)
    .min(1)
    .superRefine((stages, ctx) => {
      const last = stages.at(-1);
      if (last && last.stage !== FINAL_STAGE) {
        ctx.addIssue({
          code: "custom",
          path: [stages.length - 1, "stage"],
          message: withFix(
            `the last stage is "${last.stage}", but a rollout must end at ${FINAL_STAGE}`,
            `add - { stage: ${FINAL_STAGE}, traffic: 1.0 } at the end`,
          ),
        });
      }
      if (last?.stage === FINAL_STAGE && last.traffic !== 1) {
        ctx.addIssue({
          code: "custom",
          path: [stages.length - 1, "traffic"],
          message: withFix(`${FINAL_STAGE} serves all traffic`, "write traffic: 1.0"),
        });
      }
      stages.forEach((s, i) => {
        if (stages.findIndex((o) => o.stage === s.stage) !== i) {
          ctx.addIssue({
            code: "custom",
            path: [i, "stage"],
            message: withFix(`stage ${s.stage} is listed twice`, "list each stage once"),
          });
        } else if (i > 0 && s.traffic <= stages[i - 1]!.traffic) {
          ctx.addIssue({
            code: "custom",
            path: [i, "traffic"],
            message: withFix(
              `traffic ${s.traffic} does not grow from the previous stage's ${stages[i - 1]!.traffic}`,
              "give each stage a larger share than the one before",
            ),
          });
        }
      });
    })
    .describe(
      `Ordered stages, each with its traffic share and the evidence needed to leave it; the last is ${FINAL_STAGE}.`,
    ),
  checks: z
    .array(checkSchema)
    .default([])
    .describe("What the new version's traffic must show against the incumbent's before it expands."),
}).describe(
  "Staged rollout watched by canary-check; with it, a merge releases to the first stage. Every check is decided on an always-valid confidence sequence, so hourly looks keep the error rate at `alpha`. Prediction checks (`prediction: score` or `class`) compare the arms' served predictions: a shift beyond `max-shift` holds the rollout by default (`on-fail: hold`: the step fails so a person decides, since a new model may be meant to predict differently) or rolls it back with `on-fail: rollback`. Requests served by a version that is neither the new one nor the incumbent hold the rollout while they are still in the newest hour of the log.",
);

/** A parsed `rollout:` section. */
export type Rollout = z.output<typeof rolloutSchema>;

/** One parsed entry of `rollout.checks`. */
export type RolloutCheck = Rollout["checks"][number];
