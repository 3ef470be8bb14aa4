import type { Check } from "../results/check.js";

/**
 * The `schema` tag of `gate.json`.
 *
 * @example
 * result.schema === GATE_SCHEMA; // "gauntlet/gate@1"
 */
export const GATE_SCHEMA = "gauntlet/gate@1";

/** A slice key as written in `evaluation.json`: column name to value. */
export type SliceKey = Record<string, string>;

/**
 * What a gate check compares: the manifest key of the threshold (`min`, `max-drop`, `max-gap`, ...)
 * or, for checks the gate adds itself, the kind of integrity it verifies.
 */
export type GateComparison =
  | "min"
  | "max"
  | "max-drop"
  | "max-drop-relative"
  | "max-gap"
  | "min-ratio"
  | "computed"
  | "slice-present"
  | "sha256"
  | "consistent";

/**
 * One check of the gate: a {@link Check} plus the rule it comes from. Checks the gate adds on its
 * own (artefact digest, missing slices, contradictory rules) have `rule: null`.
 *
 * @example
 * const check: GateCheck = {
 *   id: "value", rule: 0, description: "roc_auc ≥ 0.8", scope: "overall", metric: "roc_auc",
 *   comparison: "min", status: "pass", value: 0.84, limit: 0.8, reason: "roc_auc 0.84 ≥ 0.8",
 * };
 */
export interface GateCheck extends Check {
  /** Index of the rule in `gate.rules`, or `null` for checks the gate adds itself. */
  rule: number | null;
  /** The rule in words, e.g. `recall drop ≤ 0.03 vs baseline, region slices, 95% confidence`. */
  description: string;
  /** `overall`, or the key of the slice checked (`{ "region": "AE" }`). */
  scope: "overall" | SliceKey;
  metric: string | null;
  comparison: GateComparison;
}

/** One `gate.require` entry: whether the named action's result exists and passed. */
export interface GateRequirement {
  action: "validate-data" | "evaluate-slices" | "shadow-compare" | "check-behaviour";
  /** The result file looked for (`validation.json`, ...). */
  file: string;
  status: "pass" | "fail";
  reason: string;
}

/** Why a review did not count. */
export interface IgnoredApproval {
  user: string;
  reason: string;
}

/** The approvals part of `gate.json`. */
export interface GateApprovals {
  required: number;
  /** Users whose approval counts, and how they qualify (`user`, `@org/team`, `write access`). */
  counted: { user: string; via: string }[];
  ignored: IgnoredApproval[];
  status: "pass" | "pending";
  /** Who can approve: users and `@org/team`s from `approvals.from`, or the writers when it is absent. */
  eligible: string[];
  /** Set when approvals could not be checked at all (no reviews were passed in). */
  reason?: string;
}

/**
 * The content of `gate.json`: the verdict, every rule check, the requirements and the approvals.
 * `fail` beats `pending`; `pending` only when every check passes but approvals are missing.
 *
 * @example
 * const result: GateResult = evaluateGate({ manifest, results, approvals, artefactSha256 });
 * result.status; // "pending"
 * result.reasons; // ["All 7 rule checks passed", "Waiting for 1 approval from octocat or @acme/risk-leads"]
 */
export interface GateResult {
  schema: typeof GATE_SCHEMA;
  model: { name: string; version: string; sha256: string };
  status: "pass" | "fail" | "pending";
  rules: GateCheck[];
  requirements: GateRequirement[];
  approvals: GateApprovals;
  /** One-line human verdict lines, most important first. */
  reasons: string[];
}
