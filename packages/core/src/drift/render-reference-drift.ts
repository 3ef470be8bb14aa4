import type { ColumnDrift, DriftLevel } from "../profile/compare-column.js";
import { inlineCode } from "../report/escape.js";
import { markdownTable } from "../report/markdown-table.js";

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
    markdownTable(
      ["column", "level", "method", "score", "warn / alert", "reason"],
      columns.map((c) => {
        const t = c.details.thresholds;
        return [
          { text: c.column },
          `${ICON[c.level]} ${c.level}`,
          c.method ?? "—",
          num(c.score),
          t ? `${num(t.warn)} / ${num(t.alert)}` : "—",
          { text: c.reason, max: 300 },
        ];
      }),
      { maxRows: maxColumns, omitted: (left) => `_${left} more columns are in validation.json._` },
    ),
  ];
  return lines.join("\n");
}

function num(x: number | null): string {
  return x === null ? "—" : Number(x.toPrecision(3)).toString();
}
