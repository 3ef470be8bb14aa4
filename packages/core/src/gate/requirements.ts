import type { CheckStatus } from "../results/check.js";
import { worstStatus } from "../results/check.js";
import type { GateRequirement } from "./gate-result.js";
import { RESULT_FILES } from "./read-result-file.js";
import type { ChecksFile, EvaluationFile } from "./result-files.js";

type Recorded = ChecksFile["checks"][number];

const num = (v: unknown): v is number => typeof v === "number";

/** The result file each requirable action writes. */
const REQUIRED_KIND = {
  "validate-data": "validation",
  "evaluate-slices": "evaluation",
  "shadow-compare": "shadow",
  "check-behaviour": "behaviour",
} as const;

// Data-contract checks whose verdict follows from the recorded value and limit alone (see
// validate/contract-checks.ts). Others depend on a policy (`unseen: warn`) and keep their status.
const RECOMPUTE: Record<string, (c: Recorded) => CheckStatus | undefined> = {
  "rows-min": (c) => (num(c.value) && num(c.limit) ? (c.value >= c.limit ? "pass" : "fail") : undefined),
  "rows-max": (c) => (num(c.value) && num(c.limit) ? (c.value <= c.limit ? "pass" : "fail") : undefined),
  "null-fraction": (c) => (num(c.value) && num(c.limit) ? (c.value <= c.limit ? "pass" : "fail") : undefined),
  "range-min": (c) => (num(c.value) && num(c.limit) ? (c.value >= c.limit ? "pass" : "fail") : undefined),
  "range-max": (c) => (num(c.value) && num(c.limit) ? (c.value <= c.limit ? "pass" : "fail") : undefined),
  "key-unique": (c) => (num(c.value) && num(c.limit) ? (c.value <= c.limit ? "pass" : "fail") : "fail"),
  "key-not-null": (c) => (num(c.value) && num(c.limit) ? (c.value <= c.limit ? "pass" : "fail") : undefined),
  "column-present": (c) => (c.value === true ? "pass" : "fail"),
};
const STATUS_SEVERITY: Record<CheckStatus, number> = { skip: 0, pass: 0, warn: 1, fail: 2 };

/**
 * A result file's status from its checks, never from its stored `status`: each data-contract
 * check that can be re-derived from its recorded value and limit is, and a check keeps the worse of
 * its stored and recomputed status, so editing a file can make it fail but never pass.
 *
 * @example
 * recomputedStatus(validation, true);
 * // { status: "fail", overridden: ["rows-min"] } when rows-min says pass but records 10 rows of 1000
 */
export function recomputedStatus(
  file: ChecksFile,
  recompute: boolean,
): { status: "pass" | "warn" | "fail"; overridden: string[] } {
  const overridden: string[] = [];
  const statuses = file.checks.map((check) => {
    const again = recompute ? RECOMPUTE[check.id]?.(check) : undefined;
    if (again === undefined || STATUS_SEVERITY[again] <= STATUS_SEVERITY[check.status]) return check.status;
    overridden.push(check.column === undefined ? check.id : `${check.id} (${check.column})`);
    return again;
  });
  return { status: worstStatus(statuses), overridden };
}

/**
 * The `gate.require` entries checked: each named action's result must be present and, for
 * validate-data and shadow-compare, its checks must not fail (warnings pass). evaluate-slices has
 * no verdict of its own; its numbers are judged by the rules.
 *
 * @example
 * requirementChecks(["validate-data"], { validation: undefined });
 * // [{ action: "validate-data", file: "validation.json", status: "fail", reason: "validation.json is missing: run validate-data before release-gate" }]
 */
export function requirementChecks(
  required: readonly GateRequirement["action"][],
  results: {
    validation?: ChecksFile;
    evaluation?: EvaluationFile;
    shadow?: ChecksFile;
    behaviour?: ChecksFile;
  },
): GateRequirement[] {
  return required.map((action) => {
    const kind = REQUIRED_KIND[action];
    const { file } = RESULT_FILES[kind];
    const result = results[kind];
    if (!result) {
      return {
        action,
        file,
        status: "fail",
        reason: `${file} is missing: run ${action} before release-gate`,
      };
    }
    if (kind === "evaluation" || !("checks" in result)) {
      return { action, file, status: "pass", reason: `${file} is present for this model version` };
    }
    const { status, overridden } = recomputedStatus(result, kind === "validation");
    const failed = result.checks.filter((c) => c.status === "fail").length + overridden.length;
    const notes = [
      ...(overridden.length > 0
        ? [`recorded as passing but failing by its numbers: ${overridden.join(", ")}`]
        : []),
      ...(result.status !== undefined && result.status !== status
        ? [`its stored status "${result.status}" is ignored`]
        : []),
    ];
    const tail = notes.length > 0 ? ` (${notes.join("; ")})` : "";
    if (status === "fail") {
      return {
        action,
        file,
        status: "fail",
        reason: `${action} failed: ${failed} of ${result.checks.length} checks fail${tail}`,
      };
    }
    const warned = status === "warn" ? " with warnings" : "";
    return { action, file, status: "pass", reason: `${action} passed${warned}${tail}` };
  });
}
