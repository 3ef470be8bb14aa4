import type { Manifest } from "../manifest/schema.js";
import { behaviourRuleChecks } from "./behaviour-rule.js";
import { changeRuleChecks } from "./change-rule.js";
import { type ApprovalInput, computeApprovals } from "./compute-approvals.js";
import { fairnessRuleCheck } from "./fairness-rule.js";
import { gateReasons } from "./gate-reasons.js";
import { GATE_SCHEMA, type GateApprovals, type GateCheck, type GateResult } from "./gate-result.js";
import type { IfUndefined } from "./if-undefined.js";
import { missingSliceChecks, sha256Checks } from "./integrity-checks.js";
import { RESULT_FILES, readResultFile } from "./read-result-file.js";
import { requirementChecks } from "./requirements.js";
import type { EvaluationFile } from "./result-files.js";
import { ruleConflicts } from "./rule-conflicts.js";
import { valueRuleChecks } from "./value-rule.js";

/** Inputs of {@link evaluateGate}: the manifest, the parsed (untrusted) result files, the reviews. */
export interface GateInput {
  manifest: Manifest;
  /** Parsed JSON of each result file present; absent files are left out. */
  results: { validation?: unknown; evaluation?: unknown; shadow?: unknown; behaviour?: unknown };
  /** Reviews and memberships fetched by the caller; without them approvals stay `pending`. */
  approvals?: ApprovalInput;
  /** SHA-256 of the artefact file being released, computed by the caller. */
  artefactSha256: string;
  /** Paths of the result files, for error messages (default: their bare file names). */
  files?: { validation?: string; evaluation?: string; shadow?: string; behaviour?: string };
}

/**
 * The release gate's verdict (`gate.json`). Every verdict is recomputed from the recorded numbers
 * of the result files: stored statuses are ignored, stored deltas are checked against the values,
 * and the artefact digest each file names must be the released one. Result files of another model,
 * version or schema are a {@link UserError}; everything else wrong is a failing check, so the
 * verdict always shows all of it. A rule whose metric is undefined on the data was not evaluated
 * and fails, unless the manifest says `if-undefined: pass`. Skipped checks (suppressed slice,
 * change rules of a first version, undefined metrics accepted by `if-undefined: pass`) count as
 * passed and the reasons say how many were skipped.
 *
 * @example
 * evaluateGate({ manifest, results: { evaluation, validation }, approvals, artefactSha256 });
 * // { schema: "gauntlet/gate@1", status: "pending", rules: [...], approvals: { status: "pending", ... },
 * //   reasons: ["All 9 gate checks passed", "Waiting for 1 approval from octocat or @acme/risk-leads"] }
 */
export function evaluateGate(input: GateInput): GateResult {
  const { manifest } = input;
  const expected = { name: manifest.name, version: manifest.version };
  const read = <K extends "validation" | "shadow" | "behaviour">(kind: K) =>
    input.results[kind] === undefined
      ? undefined
      : readResultFile(kind, input.results[kind], expected, input.files?.[kind]);
  const validation = read("validation");
  const shadow = read("shadow");
  const behaviour = read("behaviour");
  const evaluation =
    input.results.evaluation === undefined
      ? undefined
      : readResultFile("evaluation", input.results.evaluation, expected, input.files?.evaluation);

  const rules = manifest.gate?.rules ?? [];
  const checks: GateCheck[] = [
    ...sha256Checks(input.artefactSha256, [
      ["manifest artefact.sha256", manifest.artefact.sha256],
      [RESULT_FILES.evaluation.file, evaluation?.model.sha256],
      [RESULT_FILES.validation.file, validation?.model.sha256],
      [RESULT_FILES.shadow.file, shadow?.model.sha256],
      [RESULT_FILES.behaviour.file, behaviour?.model.sha256],
    ]),
    ...ruleConflicts(rules),
    ...rules.flatMap((rule, index) =>
      "behaviour" in rule
        ? behaviourRuleChecks(rule, index, behaviour)
        : ruleChecks(rule, index, evaluation, manifest.gate?.["if-undefined"]),
    ),
    ...(evaluation ? missingSliceChecks(evaluation) : []),
  ];
  const requirements = requirementChecks(manifest.gate?.require ?? [], {
    validation,
    evaluation,
    shadow,
    behaviour,
  });
  const approvals = approvalsOf(manifest, input.approvals);
  const failed = checks.some((c) => c.status === "fail") || requirements.some((r) => r.status === "fail");
  const status = failed ? "fail" : approvals.status === "pending" ? "pending" : "pass";
  const firstVersion = evaluation !== undefined && !evaluation.baseline;
  return {
    schema: GATE_SCHEMA,
    model: { ...expected, sha256: input.artefactSha256 },
    status,
    rules: checks,
    requirements,
    approvals,
    reasons: gateReasons({ status, checks, requirements, approvals, firstVersion }),
  };
}

function ruleChecks(
  rule: Exclude<NonNullable<Manifest["gate"]>["rules"][number], { behaviour: unknown }>,
  index: number,
  evaluation: EvaluationFile | undefined,
  ifUndefined: IfUndefined | undefined,
): GateCheck[] {
  if (!evaluation) {
    const metric = "fairness" in rule ? rule.fairness : rule.metric;
    return [
      {
        id: "evaluation-present",
        rule: index,
        description: `gate.rules[${index}] on ${metric}`,
        scope: "overall",
        metric,
        comparison: "computed",
        status: "fail",
        value: null,
        limit: null,
        reason: "evaluation.json is missing: run evaluate-slices before release-gate",
      },
    ];
  }
  if ("fairness" in rule) return [fairnessRuleCheck(rule, index, evaluation, ifUndefined)];
  if ("vs" in rule) return changeRuleChecks(rule, index, evaluation, ifUndefined);
  return valueRuleChecks(rule, index, evaluation, ifUndefined);
}

function approvalsOf(manifest: Manifest, given: ApprovalInput | undefined): GateApprovals {
  const policy = manifest.gate?.approvals;
  // `codeowners`: whoever CODEOWNERS names for the manifest, as the caller resolved it.
  const from = policy?.from === "codeowners" ? [...(given?.codeowners?.owners ?? [])] : policy?.from;
  if (!policy || policy.min === 0) {
    return { required: 0, counted: [], ignored: [], status: "pass", eligible: from ?? [] };
  }
  if (!given) {
    return {
      required: policy.min,
      counted: [],
      ignored: [],
      status: "pending",
      eligible: from ?? [],
      reason: "reviews were not checked (run release-gate on the pull request)",
    };
  }
  return computeApprovals({ ...given, min: policy.min, ...(from ? { from } : {}) });
}
