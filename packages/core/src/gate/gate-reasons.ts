import type { GateApprovals, GateCheck, GateRequirement, GateResult } from "./gate-result.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The one-line verdict lines of `gate.json`, most important first: failures, requirements,
 * what was skipped and why, then approvals.
 *
 * @example
 * gateReasons({ status: "fail", checks, requirements: [], approvals, firstVersion: false });
 * // ["2 of 9 gate checks failed: overall: roc_auc 0.78 < 0.8", "Approved by octocat (1 of 1 required)"]
 */
export function gateReasons(input: {
  status: GateResult["status"];
  checks: readonly GateCheck[];
  requirements: readonly GateRequirement[];
  approvals: GateApprovals;
  firstVersion: boolean;
}): string[] {
  const { checks, requirements, approvals } = input;
  const lines: string[] = [];
  const failing = checks.filter((c) => c.status === "fail");
  const skipped = checks.filter((c) => c.status === "skip");
  if (failing.length > 0) {
    lines.push(`${failing.length} of ${plural(checks.length, "gate check")} failed: ${failing[0]!.reason}`);
  } else if (checks.length > 0) {
    lines.push(checks.length === 1 ? "The gate check passed" : `All ${checks.length} gate checks passed`);
  }
  for (const r of requirements) if (r.status === "fail") lines.push(r.reason);
  if (input.firstVersion) {
    const changeRules = new Set(checks.filter((c) => c.id.startsWith("change-")).map((c) => c.rule)).size;
    if (changeRules > 0) {
      lines.push(
        `First version: ${plural(changeRules, "change rule")} skipped, there is no baseline to compare with`,
      );
    }
  }
  if (skipped.length > 0) {
    lines.push(`${plural(skipped.length, "check")} skipped (counted as passed): ${skipped[0]!.reason}`);
  }
  lines.push(approvalLine(approvals));
  return lines;
}

/**
 * The approvals verdict in one line: who approved, or who still can.
 *
 * @example
 * approvalLine({ required: 1, counted: [], ignored: [], status: "pending", eligible: ["octocat"] });
 * // "Waiting for 1 approval from octocat"
 */
export function approvalLine(approvals: GateApprovals): string {
  if (approvals.required === 0) return "No approvals required";
  const who = approvals.counted.map((c) => c.user).join(", ");
  if (approvals.status === "pass") {
    return `Approved by ${who} (${approvals.counted.length} of ${approvals.required} required)`;
  }
  const missing = approvals.required - approvals.counted.length;
  const shown = approvals.eligible.slice(0, 5);
  const more =
    approvals.eligible.length > shown.length ? ` or ${approvals.eligible.length - shown.length} others` : "";
  const from = shown.length > 0 ? `${shown.join(" or ")}${more}` : "a reviewer with write access";
  const have = approvals.counted.length > 0 ? `; approved so far by ${who}` : "";
  const note = approvals.reason ? ` (${approvals.reason})` : "";
  return `Waiting for ${plural(missing, "approval")} from ${from}${have}${note}`;
}
