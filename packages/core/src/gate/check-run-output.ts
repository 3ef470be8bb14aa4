import { escapeMarkdown } from "../report/escape.js";
import type { GateResult } from "./gate-result.js";
import { gateTable, sortChecks } from "./gate-table.js";
import { approvalsText } from "./render-gate-section.js";

/**
 * GitHub's limit on a check run's `output.summary` and `output.text`, in characters.
 *
 * @example
 * renderCheckRunOutput(result).text.length <= CHECK_RUN_TEXT_LIMIT; // true
 */
export const CHECK_RUN_TEXT_LIMIT = 65_535;

/** A check run's conclusion. */
export type CheckRunConclusion = "success" | "failure" | "neutral";

/**
 * The check run conclusion for a gate verdict: a pending gate is `neutral`, so the check shows
 * as waiting rather than red while reviewers have not approved yet.
 *
 * @example
 * checkRunConclusion("pending"); // "neutral"
 */
export function checkRunConclusion(status: GateResult["status"]): CheckRunConclusion {
  return status === "pass" ? "success" : status === "fail" ? "failure" : "neutral";
}

/**
 * The `output` of the `gauntlet/<model>` check run: a title, the verdict reasons and approvals as
 * summary, and the full rules table (failing first) as text, each within GitHub's 65,535 limit
 * (measured in UTF-8 bytes, which is never fewer than characters), cutting the table visibly.
 *
 * @example
 * renderCheckRunOutput(result);
 * // { title: "Gate failed: 2 of 9 checks", summary: "- 2 of 9 gate checks failed: ...\n\n**Approvals** ...", text: "| | Rule | ..." }
 */
export function renderCheckRunOutput(result: GateResult): { title: string; summary: string; text: string } {
  const failed =
    result.rules.filter((c) => c.status === "fail").length +
    result.requirements.filter((r) => r.status === "fail").length;
  const missing = result.approvals.required - result.approvals.counted.length;
  const title =
    result.status === "fail"
      ? `Gate failed: ${failed} failing ${failed === 1 ? "check" : "checks"}`
      : result.status === "pending"
        ? `Gate pending: waiting for ${missing} ${missing === 1 ? "approval" : "approvals"}`
        : `Gate passed: ${result.rules.length} checks`;
  const summary = clip(
    [
      ...result.reasons.map((line) => `- ${escapeMarkdown(line, 1000)}`),
      "",
      approvalsText(result.approvals),
    ].join("\n"),
  );
  const text =
    result.rules.length > 0 ? gateTable(sortChecks(result.rules), CHECK_RUN_TEXT_LIMIT) : "No rules.";
  return { title, summary, text };
}

// The summary is a few short lines; cutting is a backstop for huge reviewer lists.
function clip(text: string): string {
  const encoded = new TextEncoder().encode(text);
  if (encoded.length <= CHECK_RUN_TEXT_LIMIT) return text;
  const cut = new TextDecoder().decode(encoded.slice(0, CHECK_RUN_TEXT_LIMIT - 100)).replace(/\uFFFD$/, "");
  return `${cut}\n\n…(cut to fit GitHub's limit; see gate.json)`;
}
