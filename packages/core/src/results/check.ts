/** The verdict of one check. `skip` means the check could not run (its reason says why). */
export type CheckStatus = "pass" | "warn" | "fail" | "skip";

/**
 * One check of a result file: what was measured, what it was held to, and why it passed or not.
 * This shape is shared by `validation.json`, `shadow.json`, `gate.json` and `drift.json`.
 *
 * @example
 * const check: Check = {
 *   id: "null-fraction",
 *   column: "tenure_months",
 *   status: "fail",
 *   value: 0.034,
 *   limit: 0.01,
 *   reason: "3.4% of tenure_months is null; at most 1% is allowed",
 * };
 */
export interface Check {
  /** Stable identifier of the kind of check, kebab-case (`null-fraction`, `range-min`). */
  id: string;
  /** The column the check is about, when it is about one. */
  column?: string;
  status: CheckStatus;
  /** The measured value (`null` when the check could not measure). */
  value: number | string | boolean | null;
  /** The limit the value was held to (`null` when there is none). */
  limit: number | string | boolean | (number | string)[] | null;
  /** One human-readable line. */
  reason: string;
  /** Row numbers (1-based, per file) of the first offending rows, when rows are at fault. */
  rows?: { source: string; row: number }[];
}

/**
 * The overall status of a set of checks: the worst one, `skip` counting as `pass`.
 *
 * @example
 * worstStatus(["pass", "warn", "skip"]); // "warn"
 */
export function worstStatus(statuses: Iterable<CheckStatus>): "pass" | "warn" | "fail" {
  let worst: "pass" | "warn" | "fail" = "pass";
  for (const s of statuses) {
    if (s === "fail") return "fail";
    if (s === "warn") worst = "warn";
  }
  return worst;
}

/** When an action should exit non-zero: on failures, on warnings too, or never. */
export type FailOn = "error" | "warning" | "never";

/**
 * Whether a result with this status makes the step fail under `fail-on`.
 *
 * @example
 * failsStep("warn", "error"); // false
 * failsStep("warn", "warning"); // true
 */
export function failsStep(status: "pass" | "warn" | "fail" | "pending", failOn: FailOn): boolean {
  if (failOn === "never") return false;
  if (status === "fail") return true;
  return failOn === "warning" && status === "warn";
}
