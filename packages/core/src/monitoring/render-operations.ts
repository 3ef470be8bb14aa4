import { escapeMarkdown } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { OperationalHealth } from "./operational-health.js";
import { renderChecks } from "./render-checks.js";
import { windowLabel } from "./window-label.js";

/**
 * The operational-health section of the drift report: each limit's check, each signal that is
 * unavailable and why, and per window the rows (against the typical window's), latency
 * percentiles and error rate with its interval.
 *
 * @example
 * renderOperations(health, { maxWindows: 31 });
 * // "#### Operational health\n\n| check | status | value | limit | reason |\n..."
 */
export function renderOperations(health: OperationalHealth, options: { maxWindows?: number } = {}): string {
  const out = ["#### Operational health", ""];
  const missing = Object.entries(health.unavailable).filter(([, why]) => why !== null);
  for (const [signal, why] of missing) out.push(`- ${signal}: unavailable (${escapeMarkdown(why!)})`);
  if (missing.length > 0) out.push("");
  const table = renderChecks(health.checks);
  if (table.length > 0) out.push(...table, "");
  if (health.windows.length === 0) return out.join("\n").trimEnd();
  const typical = health.typicalVolume === null ? "—" : formatNumber(health.typicalVolume);
  out.push(`Typical volume (median window): ${typical} rows.`, "");
  const shown = health.windows.slice(-(options.maxWindows ?? 31));
  const rows = shown.map((w) => {
    const latency = w.latency
      ? `${formatNumber(w.latency.p50Ms)} / ${formatNumber(w.latency.p95Ms)} / ${formatNumber(w.latency.p99Ms)}`
      : "—";
    const errors = w.errors
      ? `${formatNumber(100 * w.errors.rate)}% (${formatNumber(100 * w.errors.ci[0])}–${formatNumber(100 * w.errors.ci[1])}%)`
      : "—";
    return [
      windowLabel(w.start),
      w.rows,
      w.volumeRatio === null ? "—" : formatNumber(w.volumeRatio),
      latency,
      errors,
    ];
  });
  const columns = [
    "window (UTC)",
    "rows",
    "× typical",
    "latency p50 / p95 / p99 (ms)",
    "error rate (95% CI)",
  ];
  out.push(markdownTable(columns, rows));
  return out.join("\n");
}
