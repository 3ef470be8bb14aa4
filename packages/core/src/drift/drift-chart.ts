import type { DriftWindow } from "./drift-result.js";

/**
 * A Mermaid `xychart-beta` of the drift index per window (the worst column's score as a multiple
 * of its alert limit; 1 = alert), with the alert line, so the report shows when a change began.
 * GitHub renders Mermaid blocks itself: no image host. Empty string when no window has a score.
 * At most `maxWindows` (default 60) of the latest windows are drawn so the axis stays readable.
 *
 * @example
 * driftChart(result.windows);
 * // "```mermaid\nxychart-beta\n  title \"Drift index per window (1 = alert limit)\"\n  x-axis [\"05-30\", \"05-31\"]\n ..."
 */
export function driftChart(windows: readonly DriftWindow[], maxWindows = 60): string {
  const shown = windows.slice(-maxWindows);
  if (!shown.some((w) => w.driftIndex !== null)) return "";
  const labels = shown.map((w) => JSON.stringify(windowLabel(w, shown)));
  const values = shown.map((w) => round(w.driftIndex ?? 0));
  const top = Math.max(1.2, ...values) * 1.1;
  return [
    "```mermaid",
    "xychart-beta",
    '  title "Drift index per window (1 = alert limit)"',
    `  x-axis [${labels.join(", ")}]`,
    `  y-axis "score / alert limit" 0 --> ${round(top)}`,
    `  bar [${values.join(", ")}]`,
    `  line [${shown.map(() => 1).join(", ")}]`,
    "```",
  ].join("\n");
}

/** `MM-DD` for day-or-longer windows, `MM-DD HH:mm` when windows are shorter than a day. */
function windowLabel(window: DriftWindow, all: readonly DriftWindow[]): string {
  const subDay = all.some((w) => Date.parse(w.end) - Date.parse(w.start) < 86_400_000);
  return subDay ? `${window.start.slice(5, 10)} ${window.start.slice(11, 16)}` : window.start.slice(5, 10);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
