import { escapeMarkdown } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { SegmentHealth } from "./segment-health.js";
import { windowLabel } from "./window-label.js";

const ICON = { ok: "🟢", warn: "🟡", alert: "🔴", "no data": "⚪" } as const;

/**
 * The segments section of the drift report: the worst segments first with their owner, rows,
 * level and what alerts, then the realised-accuracy gap of each segment to its slice per window
 * (binary classifiers with outcomes).
 *
 * @example
 * renderSegments(segments, { worst: 5 });
 * // "#### Worst segments\n\n| segment | owner | rows | level | reason |\n..."
 */
export function renderSegments(health: SegmentHealth, options: { worst?: number } = {}): string {
  const out = ["#### Worst segments", ""];
  if (health.missing.length > 0)
    out.push(`Slices not in the logs: ${health.missing.map((s) => escapeMarkdown(s)).join(", ")}.`, "");
  const shown = health.segments.slice(0, options.worst ?? 5);
  if (shown.length === 0) return [...out, "No segments."].join("\n");
  out.push(
    markdownTable(
      ["segment", "owner", "rows", "level", "reason"],
      shown.map((s) => [
        { text: `${s.slice}=${s.value}` },
        s.owner ? { text: s.owner } : "—",
        s.rows,
        `${ICON[s.level]} ${s.level}`,
        { text: s.reason, max: 400 },
      ]),
    ),
  );
  if (health.segments.length > shown.length)
    out.push("", `_${health.segments.length - shown.length} more segments are in drift.json._`);
  const gaps = health.segments.filter((s) => s.gaps.some((g) => g.gap !== null));
  if (gaps.length > 0) {
    const starts = [...new Set(gaps.flatMap((s) => s.gaps.map((g) => g.start)))].sort();
    out.push(
      "",
      "Realised accuracy gap to the slice, per window (labelled rows):",
      "",
      markdownTable(
        ["segment", ...starts.map(windowLabel)],
        gaps.slice(0, options.worst ?? 5).map((s) => [
          { text: `${s.slice}=${s.value}` },
          ...starts.map((start) => {
            const g = s.gaps.find((x) => x.start === start);
            return g && g.gap !== null ? `${formatNumber(g.gap, true)} (${g.labelled})` : "—";
          }),
        ]),
      ),
    );
  }
  return out.join("\n");
}
