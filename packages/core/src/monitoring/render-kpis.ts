import { escapeMarkdown } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { KpiHealth } from "./kpi-checks.js";
import { renderChecks } from "./render-checks.js";
import { windowLabel } from "./window-label.js";

/**
 * The business-KPI section of the drift report: each limit's check, then per window each KPI's
 * value with its interval (or why there is none: `no values` when the field is missing there).
 *
 * @example
 * renderKpis(kpis);
 * // "#### Business KPIs\n\n| check | status | ...\n\n| window (UTC) | retained (rate) |\n..."
 */
export function renderKpis(health: KpiHealth, options: { maxWindows?: number } = {}): string {
  const out = ["#### Business KPIs", "", ...renderChecks(health.checks)];
  const shown = health.kpis.filter((k) => k.unavailable === null);
  for (const k of health.kpis.filter((k) => k.unavailable !== null))
    out.push("", `- ${escapeMarkdown(k.name)}: unavailable (${escapeMarkdown(k.unavailable!)})`);
  const windows = shown[0]?.windows ?? [];
  if (windows.length === 0) return out.join("\n");
  const columns = ["window (UTC)", ...shown.map((k) => `${escapeMarkdown(k.name)} (${k.aggregate})`)];
  const from = Math.max(0, windows.length - (options.maxWindows ?? 31));
  const rows = windows.slice(from).map((window, j) => [
    windowLabel(window.start),
    ...shown.map((k) => {
      const w = k.windows[from + j]!;
      if (w.value === null) return "no values";
      return w.ci
        ? `${formatNumber(w.value)} (${formatNumber(w.ci[0])}–${formatNumber(w.ci[1])})`
        : formatNumber(w.value);
    }),
  ]);
  out.push("", markdownTable(columns, rows));
  return out.join("\n");
}
