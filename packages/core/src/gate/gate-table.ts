import { markdownTable } from "../report/markdown-table.js";
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

const COLUMNS = ["", "Rule", "Scope", "Measured", "Limit", "Reason"];
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

const utf8 = new TextEncoder();

/**
 * The rules table holding as many checks (in the order given) as fit in `maxBytes` of UTF-8,
 * ending with a visible note of how many were left out. Every data-derived cell is escaped.
 *
 * @example
 * gateTable(sortChecks(result.rules), 60_000);
 * // "| | Rule | Scope | ...\n| ❌ | roc\\_auc ≥ 0.7, every slice | region=AE | 0.64 | 0.7 | ... |\n\n…and 120 more checks not shown (see gate.json)."
 */
export function gateTable(checks: readonly GateCheck[], maxBytes: number): string {
  const rows = checks.map((c) => [
    GATE_ICON[c.status],
    { text: c.description, max: 120 },
    { text: c.scope === "overall" ? "overall" : formatSliceKey(c.scope), max: 100 },
    { text: formatValue(c.value), max: 40 },
    { text: formatValue(c.limit), max: 40 },
    { text: c.reason, max: 400 },
  ]);
  return markdownTable(COLUMNS, rows, {
    maxLength: maxBytes,
    measure: (text) => utf8.encode(text).length,
    omitted: (left) => `…and ${left} more checks not shown (see gate.json).`,
  });
}
