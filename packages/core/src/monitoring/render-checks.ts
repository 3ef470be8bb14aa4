import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { Check } from "../results/check.js";

const STATUS = { pass: "🟢", warn: "🟡", fail: "🔴", skip: "⚪" } as const;

/**
 * A monitoring layer's checks as a Markdown table: id, status, value, limit and the reason (escaped);
 * the table as the one element, none when there are no checks.
 *
 * @example
 * renderChecks([{ id: "latency-p99", status: "fail", value: 412, limit: 250, reason: "…" }]);
 * // ["| check | status | value | limit | reason |\n| --- | ...\n| latency-p99 | 🔴 fail | 412.0 | 250 | … |"]
 */
export function renderChecks(checks: readonly Check[]): string[] {
  if (checks.length === 0) return [];
  const rows = checks.map((c) => [
    c.id,
    `${STATUS[c.status]} ${c.status}`,
    typeof c.value === "number" ? formatNumber(c.value) : "—",
    c.limit === null ? "—" : String(c.limit),
    { text: c.reason, max: 400 },
  ]);
  return [markdownTable(["check", "status", "value", "limit", "reason"], rows)];
}
