import { escapeMarkdown } from "../report/escape.js";
import { approvalLine } from "./gate-reasons.js";
import type { GateApprovals, GateResult } from "./gate-result.js";
import { GATE_ICON, gateTable, sortChecks } from "./gate-table.js";

const TITLE: Record<GateResult["status"], string> = {
  pass: "Release gate passed",
  fail: "Release gate failed",
  pending: "Release gate waiting for approval",
};

/**
 * The "Gate" section of the sticky PR comment: a verdict line, the verdict reasons, failing and
 * skipped checks in a table, passing checks folded in `<details>`, requirements, and an approvals
 * line saying who approved, whose review did not count and who can approve. Every data-derived
 * text is escaped, so user and team names never ping anyone; the section fits in `maxBytes`
 * (default 20,000) of UTF-8, cutting the tables visibly.
 *
 * @example
 * renderGateSection(result);
 * // "### Gate\n\n❌ **Release gate failed**: 1 of 9 checks failed · approvals 1/1\n\n- 1 of 9 gate checks failed: ...\n\n| | Rule | ..."
 */
export function renderGateSection(result: GateResult, maxBytes = 20_000): string {
  const sorted = sortChecks(result.rules);
  const open = sorted.filter((c) => c.status !== "pass");
  const passed = sorted.filter((c) => c.status === "pass");
  const failed = sorted.filter((c) => c.status === "fail").length;
  const { approvals } = result;
  const head = [
    "### Gate",
    "",
    `${GATE_ICON[result.status]} **${TITLE[result.status]}**: ${failed} of ${result.rules.length} checks failed · approvals ${approvals.counted.length}/${approvals.required}`,
    "",
    // The approvals line is shown with its details below.
    ...result.reasons
      .filter((line) => line !== approvalLine(approvals))
      .map((line) => `- ${escapeMarkdown(line, 400)}`),
  ];
  const tail = [...requirementLines(result), "", approvalsText(approvals)];
  const fixed = [...head, ...tail].join("\n").length * 3;
  // Open problems get two thirds of what is left; passing checks the rest.
  const room = Math.max(0, maxBytes - fixed - 200);
  const parts = [...head];
  if (open.length > 0) parts.push("", gateTable(open, Math.floor((room * 2) / 3)));
  if (passed.length > 0) {
    parts.push(
      "",
      `<details><summary>${passed.length} passing checks</summary>`,
      "",
      gateTable(passed, Math.floor(room / 3)),
      "",
      "</details>",
    );
  }
  parts.push(...tail);
  return `${parts.join("\n")}\n`;
}

function requirementLines(result: GateResult): string[] {
  if (result.requirements.length === 0) return [];
  return [
    "",
    `**Requirements**: ${result.requirements
      .map((r) => `${GATE_ICON[r.status]} ${escapeMarkdown(r.action, 40)}: ${escapeMarkdown(r.reason, 300)}`)
      .join(" · ")}`,
  ];
}

/**
 * The approvals paragraph: the verdict, then the reviews that did not count and why.
 *
 * @example
 * approvalsText({ required: 1, counted: [], ignored: [{ user: "bob", reason: "approved an older commit" }], status: "pending", eligible: ["octocat"] });
 * // "**Approvals** ⏳ Waiting for 1 approval from octocat\n\nNot counted: bob (approved an older commit)"
 */
export function approvalsText(approvals: GateApprovals): string {
  const icon = GATE_ICON[approvals.status];
  const line = `**Approvals** ${icon} ${escapeMarkdown(approvalLine(approvals), 600)}`;
  if (approvals.ignored.length === 0) return line;
  const shown = approvals.ignored
    .slice(0, 10)
    .map((i) => `${escapeMarkdown(i.user, 60)} (${escapeMarkdown(i.reason, 160)})`);
  const more =
    approvals.ignored.length > shown.length ? ` and ${approvals.ignored.length - shown.length} more` : "";
  return `${line}\n\nNot counted: ${shown.join(", ")}${more}`;
}
