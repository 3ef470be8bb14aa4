import type { ColumnDrift, DriftLevel } from "../profile/compare-column.js";
import { escapeMarkdown, inlineCode } from "../report/escape.js";

const ICON: Record<DriftLevel, string> = { ok: "🟢", warn: "🟡", alert: "🔴", "no data": "⚪" };

/**
 * The "Drift against the reference" section of the data report: one row per column, worst first,
 * as `validate-data` shows it when given a `reference`.
 *
 * @example
 * renderReferenceDrift(columns, "data/train.csv");
 * // "#### Drift against the reference `data/train.csv`\n\n| column | level | method | score | ..."
 */
export function renderReferenceDrift(
  columns: readonly ColumnDrift[],
  reference: string,
  maxColumns = 40,
): string {
  const lines = [
    `#### Drift against the reference ${inlineCode(reference)}`,
    "",
    "| column | level | method | score | warn / alert | reason |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const c of columns.slice(0, maxColumns)) {
    const t = c.details.thresholds;
    lines.push(
      `| ${escapeMarkdown(c.column)} | ${ICON[c.level]} ${c.level} | ${c.method ?? "—"} | ${num(c.score)} | ${t ? `${num(t.warn)} / ${num(t.alert)}` : "—"} | ${escapeMarkdown(c.reason, 300)} |`,
    );
  }
  if (columns.length > maxColumns)
    lines.push("", `_${columns.length - maxColumns} more columns are in validation.json._`);
  return lines.join("\n");
}

function num(x: number | null): string {
  return x === null ? "—" : Number(x.toPrecision(3)).toString();
}
