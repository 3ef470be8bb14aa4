import { escapeMarkdown } from "../report/escape.js";
import type { CheckStatus } from "../results/check.js";
import { formatValue } from "../validate/render-validation.js";
import type { GateCheck, GateResult } from "./gate-result.js";
import { formatSliceKey } from "./slice-key.js";

/**
 * The icon of a check status, and of a gate verdict.
 *
 * @example
 * GATE_ICON.pending; // "⏳"
 */
export const GATE_ICON: Record<CheckStatus | GateResult["status"], string> = {
  pass: "✅",
  warn: "⚠️",
  fail: "❌",
  skip: "⏭️",
  pending: "⏳",
};

const HEADER = "| | Rule | Scope | Measured | Limit | Reason |\n| --- | --- | --- | --- | --- | --- |";
const ORDER: Record<CheckStatus, number> = { fail: 0, warn: 1, skip: 2, pass: 3 };

/**
 * Checks in reading order: failing first, then skipped, then passing; rule order within each.
 *
 * @example
 * sortChecks(result.rules)[0]?.status; // "fail" when any check fails
 */
export function sortChecks(checks: readonly GateCheck[]): GateCheck[] {
  return checks
    .map((check, i) => ({ check, i }))
    .sort((a, b) => ORDER[a.check.status] - ORDER[b.check.status] || a.i - b.i)
    .map(({ check }) => check);
}

/**
 * One Markdown table row of a gate check; every data-derived cell is escaped.
 *
 * @example
 * gateTableRow(check); // "| ❌ | roc\\_auc ≥ 0.7, every slice | region=AE | 0.64 | 0.7 | slice region=AE: ... |"
 */
export function gateTableRow(c: GateCheck): string {
  const scope = c.scope === "overall" ? "overall" : formatSliceKey(c.scope);
  const cells = [
    GATE_ICON[c.status],
    escapeMarkdown(c.description, 120),
    escapeMarkdown(scope, 100),
    escapeMarkdown(formatValue(c.value), 40),
    escapeMarkdown(formatValue(c.limit), 40),
    escapeMarkdown(c.reason, 400),
  ];
  return `| ${cells.join(" | ")} |`;
}

const utf8 = new TextEncoder();

/**
 * The rules table holding as many checks (in the order given) as fit in `maxBytes` of UTF-8,
 * ending with a visible note of how many were left out.
 *
 * @example
 * gateTable(sortChecks(result.rules), 60_000);
 * // "| | Rule | Scope | ...\n| ❌ | ... |\n\n…and 120 more checks not shown (see gate.json)."
 */
export function gateTable(checks: readonly GateCheck[], maxBytes: number): string {
  const lines = [HEADER];
  // Room for the note, whose length depends only on a count.
  let bytes = utf8.encode(HEADER).length + 80;
  for (const check of checks) {
    const row = gateTableRow(check);
    const size = utf8.encode(row).length + 1;
    if (bytes + size > maxBytes) break;
    lines.push(row);
    bytes += size;
  }
  const left = checks.length - (lines.length - 1);
  const note = left > 0 ? `\n\n…and ${left} more checks not shown (see gate.json).` : "";
  return `${lines.join("\n")}${note}`;
}
