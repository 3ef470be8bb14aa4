import * as z from "zod";
import { metricName } from "./schema-evaluation.js";
import { columnName, githubPrincipal, strictObject, withFix } from "./schema-helpers.js";
import { customMetricName } from "./schema-operating.js";

const ifUndefined = z
  .enum(["pass", "fail"])
  .optional()
  .describe(
    "Where the metric is undefined on the data (e.g. ROC AUC of a one-class slice): `fail` blocks the gate, `pass` accepts it. Default: the gate's `if-undefined` (itself `fail` by default).",
  );

const sliceScope = z
  .union([z.literal("all"), z.array(columnName).min(1)])
  .optional()
  .describe("Apply per slice: `all` slices, or the slices of these columns. Omit for the overall value.");

// A rule with max-drop but no `vs` matches no shape; zod then reports only the value rule's view.
const needsBaseline = withFix(
  "a max-drop rule is measured against the baseline and needs vs: baseline",
  "add vs: baseline to the rule, e.g. { metric: roc_auc, max-drop: 0.01, vs: baseline }",
);

const valueRule = strictObject(
  {
    metric: z
      .union([metricName, customMetricName])
      .describe("The metric to hold to a threshold: built-in or custom."),
    min: z.number().optional().describe("Smallest allowed value."),
    max: z.number().optional().describe("Largest allowed value."),
    slices: sliceScope,
    "if-undefined": ifUndefined,
  },
  { "max-drop": needsBaseline, "max-drop-relative": needsBaseline, confidence: needsBaseline },
).describe("Value threshold: `{ metric, min | max, slices? }`.");

const changeRule = strictObject({
  metric: z
    .union([metricName, customMetricName])
    .describe("The metric compared with the baseline: built-in or custom."),
  "max-drop": z.number().min(0).optional().describe("Largest allowed absolute drop versus the baseline."),
  "max-drop-relative": z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Largest allowed drop as a fraction of the baseline's value."),
  vs: z.literal("baseline").describe("What the change is measured against."),
  confidence: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe(
      "Fail only when the drop exceeds the limit with this confidence: judged on the delta's simultaneous (sup-t) paired interval (bootstrap; Gaussian from influence functions where a group's counts are large: 2,000 of each class for ROC AUC, AP, log loss, Brier and ECE, 1,000 of the counts the other metrics average over), which holds across every metric × slice change of the report (the per-change interval for older files). On a fairness rule: fail only when the gap (ratio) is beyond max-gap (min-ratio) with this confidence: a gap when some pair of groups' difference is, by its lower bound simultaneous over the pairs and rates (max-T at the rule's max-gap) and the gate's fairness rules with confidence (Bonferroni); a ratio on its percentile interval adjusted (Bonferroni) over those rules.",
    ),
  slices: sliceScope,
  "if-undefined": ifUndefined,
}).describe(
  "Change threshold: `{ metric, max-drop | max-drop-relative, vs: baseline, confidence?, slices? }`.",
);

const fairnessRule = strictObject({
  fairness: z
    .union([metricName, z.enum(["demographic_parity", "equal_opportunity", "equalized_odds"])])
    .describe(
      "The metric compared between groups, or a criterion: `demographic_parity` (selection_rate), `equal_opportunity` (recall, the true-positive rate) or `equalized_odds` (recall and fpr: the larger gap, the smaller ratio). Its metrics must be in evaluation.metrics.",
    ),
  across: columnName.describe("The column whose groups are compared (a sliced column)."),
  "max-gap": z
    .number()
    .min(0)
    .optional()
    .describe("Largest allowed difference between best and worst group."),
  "min-ratio": z.number().min(0).max(1).optional().describe("Smallest allowed ratio of worst to best group."),
  class: z
    .union([z.string().min(1), z.number()])
    .optional()
    .describe(
      "Multiclass only: compare this class (one of artefact.classes) against the rest — `demographic_parity` its selection rate (the share predicted as it), `equal_opportunity` its recall, `equalized_odds` its recall and false-positive rate, or one of selection_rate, recall, fpr.",
    ),
  confidence: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe(
      "Fail only when the gap exceeds max-gap (or the ratio falls below min-ratio) with this confidence: a gap when the largest lower bound of a pairwise difference between groups |p_g − p_h| is above max-gap, the bounds simultaneous over the pairs and the criterion's rates (max-T: the critical value of their joint normal law at the least favourable true rates within max-gap, never above Bonferroni's) and, by Bonferroni, over every fairness rule of the gate that asks for confidence (the percentile interval of max − min is only quoted: it is biased upward when groups are close); a ratio on the bootstrap percentile interval at a level adjusted (Bonferroni) over those rules. So their decisions hold together.",
    ),
  "if-undefined": ifUndefined,
}).describe(
  "Fairness: `{ fairness: metric | criterion, across: column, max-gap | min-ratio, class?, confidence? }`; evaluate-slices records the gap and ratio with a bootstrap interval.",
);

const behaviourTestName = z
  .string()
  .regex(
    /^(known-cases|invariance|directional|edge-cases|robustness-flip-rate|robustness-score-change|out-of-distribution)(:.+)?$/,
    withFix(
      "expected a behavioural test: known-cases, invariance, directional, edge-cases, robustness-flip-rate, robustness-score-change or out-of-distribution (optionally :<column>)",
      "name a test as behaviour.json's checks do, e.g. edge-cases or invariance:region",
    ),
  );

const behaviourRule = strictObject({
  behaviour: z
    .union([z.literal("all"), behaviourTestName, z.array(behaviourTestName).min(1)])
    .describe(
      "The behavioural tests held: `all`, a test (`edge-cases`), every test of a column (`invariance:region`), or a list. Each must be in behaviour.json.",
    ),
  max: z
    .number()
    .min(0)
    .optional()
    .describe(
      "Largest allowed measured value (e.g. the flip rate of `robustness-flip-rate`). Without it, none of the tests may fail.",
    ),
}).describe("Behaviour: `{ behaviour: all | test | [tests], max? }` on check-behaviour's results.");

/** A gate rule: a value threshold, a change threshold, a fairness constraint or a behaviour rule. */
export const gateRuleSchema = z.union([valueRule, changeRule, fairnessRule, behaviourRule]);

/** The actions whose results the gate can require. */
export const REQUIRABLE_ACTIONS = [
  "validate-data",
  "evaluate-slices",
  "shadow-compare",
  "check-behaviour",
] as const;

/** The release gate: policy thresholds plus human approvals. */
export const gateSchema = strictObject({
  rules: z.array(gateRuleSchema).default([]).describe("Policy rules; every one must pass."),
  approvals: strictObject({
    min: z.number().int().min(0).default(1).describe("Approving reviews required."),
    from: z
      .union([z.array(githubPrincipal).min(1), z.literal("codeowners")])
      .optional()
      .describe(
        "Users or teams whose approvals count, or `codeowners`: the owners CODEOWNERS gives the manifest's path (its last matching rule, read from the base branch: .github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS). Any reviewer with write access when omitted.",
      ),
  })
    .optional()
    .describe("Human approvals required."),
  require: z
    .array(z.enum(REQUIRABLE_ACTIONS))
    .default([])
    .describe("Actions whose results must exist and pass."),
  "if-undefined": z
    .enum(["pass", "fail"])
    .default("fail")
    .describe(
      "What every rule does where its metric is undefined on the data: `fail` (default) blocks the gate, because a rule that was not evaluated was not met; `pass` accepts it. A rule's own `if-undefined` wins.",
    ),
}).describe("The release gate read by release-gate.");
