import { windowLabel } from "../monitoring/window-label.js";
import type { ColumnDrift, DriftLevel } from "../profile/compare-column.js";
import { escapeMarkdown, inlineCode } from "../report/escape.js";
import { markdownTable, type TableCell } from "../report/markdown-table.js";
import { driftChart } from "./drift-chart.js";
import type { DriftResult, EstimatedValue, PerformanceComparison, PredictionHealth } from "./drift-result.js";

const ICON: Record<DriftLevel, string> = { ok: "🟢", warn: "🟡", alert: "🔴", "no data": "⚪" };

/** Bounds of {@link renderDriftReport}. */
export interface RenderDriftOptions {
  /** Column rows shown at most (worst first); the rest are counted. Default 40. */
  maxColumns?: number;
  /** Window rows shown at most (latest). Default 31. */
  maxWindows?: number;
}

/**
 * The Markdown report of a drift check — job summary and issue body: the one-line verdict, where
 * the reference came from and which rows counted, a Mermaid chart of the drift index per window,
 * the windows with no logs between the first and the last, the columns worst first, the windows,
 * prediction health, and estimated (CBPE) next to realised
 * performance with the estimate's assumptions. Data-derived text is escaped.
 *
 * @example
 * renderDriftReport(result);
 * // "### 🔴 Drift: churn 1.2.0 — alert\n\nalert: 2 of 10 columns alert, ..."
 */
export function renderDriftReport(result: DriftResult, options: RenderDriftOptions = {}): string {
  const maxColumns = options.maxColumns ?? 40;
  const maxWindows = options.maxWindows ?? 31;
  const out: string[] = [];
  out.push(
    `### ${ICON[result.level]} Drift: ${escapeMarkdown(result.model.name)} ${escapeMarkdown(result.model.version)} — ${result.level}`,
  );
  out.push("", `**Verdict:** ${escapeMarkdown(result.verdict, 1000)}`, "");
  const ref = result.reference;
  out.push(
    `Reference: ${ref.kind} ${inlineCode(ref.location)} (${count(ref.rows)} rows). ` +
      `Logs: ${count(result.rows.read)} rows read, ${count(result.rows.used)} used${skippedText(result)}. ` +
      `Window: ${inlineCode(result.window)}.`,
  );
  const note = exactnessNote(result);
  if (note) out.push("", note);
  const empty = result.emptyWindows;
  if (empty.count > 0) {
    const more = empty.count > empty.starts.length ? `, … (${empty.count - empty.starts.length} more)` : "";
    out.push(
      "",
      `⚠️ **No logs in ${count(empty.count)} ${empty.count === 1 ? "window" : "windows"}** between the first and the last (UTC): ` +
        `${empty.starts.map(windowLabel).join(", ")}${more}. Check that every day's log was downloaded.`,
    );
  }
  const chart = driftChart(result.windows);
  if (chart) out.push("", chart);

  out.push("", "#### Columns (worst first)", "");
  out.push(
    markdownTable(
      ["column", "level", "method", "score", "warn / alert", "null rate (ref → now)", "reason"],
      result.columns.map(columnRow),
      { maxRows: maxColumns, omitted: (left) => `_${left} more columns are in drift.json._` },
    ),
  );

  if (result.windows.length > 0) {
    out.push("", "#### Windows", "");
    const columns = [
      "window (UTC)",
      "rows",
      "level",
      "drift index",
      "worst column",
      "est. accuracy",
      "est. ROC AUC",
      "realised accuracy (labelled)",
    ];
    const shown = result.windows.slice(-maxWindows);
    const earlier = result.windows.length - shown.length;
    const rows = shown.map((w) => [
      windowLabel(w.start),
      count(w.rows),
      `${ICON[w.level]} ${w.level}`,
      num(w.driftIndex),
      w.worstColumn ? { text: w.worstColumn } : "—",
      num(w.estimatedAccuracy),
      num(w.estimatedRocAuc),
      `${num(w.realisedAccuracy)} (${count(w.labelled)})`,
    ]);
    // The latest windows are shown: the count of those left out heads the table.
    if (earlier > 0)
      rows.unshift([`_${earlier} earlier windows in drift.json_`, ...columns.slice(1).map(() => "")]);
    out.push(markdownTable(columns, rows));
  }
  out.push("", ...healthSection(result.health));
  if (result.performance) out.push("", ...performanceSection(result.performance));
  return out.join("\n");
}

/**
 * Whether the statistics are exact, and if not why: the reader must know when a score carries a
 * sketch's error (shown as `± bound` next to it).
 */
function exactnessNote(result: DriftResult): string | null {
  const sample = result.reference.sample;
  const approximate = result.columns.filter((c) => c.details.approximate);
  if (approximate.length === 0) {
    return sample === undefined
      ? null
      : `Statistics are exact: computed on ${count(sample)} reference rows and every logged value.`;
  }
  const why =
    sample === undefined
      ? "the reference is a profile without a sample of values (e.g. a release promoted before promote attached reference-sample.parquet), so"
      : "some windows hold more values than are kept exactly, so";
  return `⚠️ **Approximate statistics:** ${why} the numeric scores of ${approximate.length} ${approximate.length === 1 ? "column come" : "columns come"} from quantile sketches; each shows its error bound (±). Promote the version again (or give a data file as the reference) for exact statistics.`;
}

function columnRow(c: ColumnDrift): TableCell[] {
  const t = c.details.thresholds;
  const nulls = c.details.nullRate;
  const approximate = c.details.approximate;
  const score =
    approximate && c.score !== null
      ? approximate.bound === null
        ? `≈ ${num(c.score)}`
        : `${num(c.score)} ± ${num(approximate.bound)}`
      : num(c.score);
  return [
    { text: c.column },
    `${ICON[c.level]} ${c.level}`,
    c.method ?? "—",
    score,
    t ? `${num(t.warn)} / ${num(t.alert)}` : "—",
    `${pct(nulls.reference)} → ${pct(nulls.current)}`,
    { text: c.reason, max: 300 },
  ];
}

function healthSection(h: PredictionHealth): string[] {
  const drift = h.scoreDrift;
  return [
    "#### Prediction health",
    "",
    markdownTable(
      ["measure", "value"],
      [
        ["scored rows", count(h.rows)],
        ["mean score", num(h.meanScore)],
        [`low-confidence share (max(p, 1 − p) < ${h.lowConfidenceBelow})`, pct(h.lowConfidenceShare)],
        ["predicted positive (class mix)", pct(h.positiveShare)],
        [
          `score drift${h.scoreDriftBaseline ? ` vs ${h.scoreDriftBaseline}` : ""}`,
          drift
            ? `${ICON[drift.level]} ${drift.level}: ${escapeMarkdown(drift.reason, 300)}`
            : "not measured (no reference score column and a single window)",
        ],
      ],
    ),
  ];
}

function performanceSection(p: PerformanceComparison): string[] {
  const calibration =
    p.calibration.status === "recalibrated"
      ? `Calibration: ${escapeMarkdown(p.calibration.reason)}; the estimate uses the recalibrated probabilities.`
      : `> ⚠️ **Calibration warning:** ${escapeMarkdown(p.calibration.reason)}.`;
  const lines = [
    `#### Performance: estimated from scores vs realised on ${count(p.labelled)} labelled rows`,
    "",
    calibration,
    "",
    markdownTable(
      [`metric (threshold ${p.threshold})`, "estimated (CBPE, 95% interval)", "realised (95% CI)"],
      Object.keys(p.estimated).map((name) => [name, value(p.estimated[name]), value(p.realised[name])]),
    ),
  ];
  if (p.realisedSample < p.labelled)
    lines.push("", `_Realised metrics use a seeded sample of ${count(p.realisedSample)} labelled rows._`);
  lines.push("", "The estimate assumes:", ...p.assumptions.map((a) => `- ${a}`));
  return lines;
}

function value(v: EstimatedValue | undefined): string {
  if (!v || v.value === null) return `— ${v?.reason ? `(${escapeMarkdown(v.reason)})` : ""}`.trim();
  return v.ci ? `${num(v.value)} [${num(v.ci[0])}, ${num(v.ci[1])}]` : num(v.value);
}

function skippedText(result: DriftResult): string {
  const entries = Object.entries(result.rows.skipped);
  if (entries.length === 0) return "";
  const versions = Object.entries(result.rows.otherVersions)
    .map(([v, n]) => `${escapeMarkdown(v)}: ${count(n)}`)
    .join(", ");
  const parts = entries.map(
    ([reason, n]) =>
      `${reason}: ${count(n)}${reason === "other model version" && versions ? ` (${versions})` : ""}`,
  );
  return `, skipped ${parts.join("; ")}`;
}

function num(x: number | null | undefined): string {
  return x === null || x === undefined ? "—" : Number(x.toPrecision(3)).toString();
}

function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? "—" : `${Number((x * 100).toPrecision(3))}%`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
