import { escapeMarkdown } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import type { Check } from "../results/check.js";

const STATUS = { pass: "🟢", warn: "🟡", fail: "🔴", skip: "⚪" } as const;

/**
 * A monitoring layer's checks as a Markdown table: id, status, value, limit and the reason (escaped).
 *
 * @example
 * renderChecks([{ id: "latency-p99", status: "fail", value: 412, limit: 250, reason: "…" }]);
 * // ["| check | status | value | limit | reason |", "| --- | ...", "| latency-p99 | 🔴 fail | 412.0 | 250 | … |"]
 */
export function renderChecks(checks: readonly Check[]): string[] {
  if (checks.length === 0) return [];
  const out = ["| check | status | value | limit | reason |", "| --- | --- | --- | --- | --- |"];
  for (const c of checks) {
    out.push(
      `| ${c.id} | ${STATUS[c.status]} ${c.status} | ${typeof c.value === "number" ? formatNumber(c.value) : "—"} | ${c.limit === null ? "—" : String(c.limit)} | ${escapeMarkdown(c.reason, 400)} |`,
    );
  }
  return out;
}
