import { worstLevel } from "../drift/drift-level.js";
import type { DriftResult } from "../drift/drift-result.js";
import type { DriftLevel } from "../profile/compare-column.js";
import { escapeMarkdown } from "../report/escape.js";
import { markdownTable } from "../report/markdown-table.js";
import { mermaidLabel } from "../report/mermaid-xychart.js";
import { windowLabel } from "./window-label.js";

const ICON: Record<DriftLevel, string> = { ok: "🟢", warn: "🟡", alert: "🔴", "no data": "⚪" };

/** Alerting signals per window, as the summary's timeline draws them. */
export interface SignalTimeline {
  start: string;
  signals: string[];
}

/**
 * The signals alerting in each window across every layer: drifted columns (`drift: age`) and
 * each per-window limit breached (`operations: latency-p99`, `prediction: class-mix`,
 * `kpis: kpi-retained`), windows in time order, only those with an alert.
 *
 * @example
 * alertTimeline(result); // [{ start: "2025-05-31T18:00:00.000Z", signals: ["operations: latency-p99"] }]
 */
export function alertTimeline(result: DriftResult): SignalTimeline[] {
  const byStart = new Map<string, Set<string>>();
  const add = (start: string, signal: string) => {
    const set = byStart.get(start) ?? new Set<string>();
    set.add(signal);
    byStart.set(start, set);
  };
  for (const w of result.windows) for (const c of w.alerting) add(w.start, `drift: ${c}`);
  for (const [layer, breaches] of [
    ["multivariate", result.multivariate?.breaches],
    ["operations", result.operations?.breaches],
    ["prediction", result.prediction?.breaches],
    ["kpis", result.kpis?.breaches],
  ] as const) {
    for (const b of breaches ?? []) add(b.start, `${layer}: ${b.check}`);
  }
  return [...byStart.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([start, signals]) => ({ start, signals: [...signals].sort() }));
}

/**
 * The single recommended next step, by what alerts, most fundamental first: operational health
 * (a serving problem makes every other signal unreliable), then realised or estimated performance
 * (retrain), then drift of the whole population (check the upstream data), then a segment alone
 * (its owner), then a business KPI with healthy model signals (the business process), else none.
 *
 * @example
 * recommendedStep(result); // "Fix serving first: latency-p99 breaches its limit ..."
 */
export function recommendedStep(result: DriftResult): string {
  const failing = (layer: { checks: { id: string; status: string }[] } | undefined) =>
    (layer?.checks ?? []).filter((c) => c.status === "fail").map((c) => c.id);
  const ops = failing(result.operations);
  if (ops.length > 0)
    return `Fix serving first: ${ops.join(", ")} breach their limits, and while requests fail, slow down or go missing the model's other signals are not reliable.`;
  const prediction = failing(result.prediction);
  const performance = prediction.filter((id) => id.startsWith("realised-") || id.startsWith("estimated-"));
  if (performance.length > 0)
    return `Retrain: ${performance.join(", ")} fell below the limit; retrain on recent labelled data and send the new version through the gate (the retraining workflow does this when monitoring.retrain is set).`;
  const drifted = [
    ...result.columns.filter((c) => c.level === "alert").map((c) => c.column),
    ...failing(result.multivariate).map(() => "the joint distribution of the numeric features"),
  ];
  if (drifted.length > 0 || prediction.length > 0)
    return `Check the upstream data: ${[...drifted.map((c) => escapeMarkdown(c)), ...prediction].join(", ")} moved against the reference; a pipeline change is fixed upstream, a real shift of the population calls for retraining on recent data.`;
  const segment = result.segments?.segments.find((s) => s.level === "alert");
  if (segment) {
    const who = segment.owner ? `${escapeMarkdown(segment.owner)}, its owner,` : "its owner";
    return `Ask ${who} to look at ${escapeMarkdown(`${segment.slice}=${segment.value}`)}: it alerts while the whole population does not.`;
  }
  const kpis = failing(result.kpis);
  if (kpis.length > 0)
    return `Check the business process: ${kpis.join(", ")} breach their limits while the model's signals are healthy.`;
  return "No action needed: nothing alerts.";
}

/**
 * The head of the monitoring report and issue: a table of the layers (data health, operational
 * health, prediction health, business KPIs, segments) with each one's level and what alerts, a
 * Mermaid timeline of the alerting signals per window, and the recommended next step.
 *
 * @example
 * renderMonitoringSummary(result);
 * // "### 🔴 Monitoring: churn 1.2.0 — alert\n\n| layer | level | alerting |\n..."
 */
export function renderMonitoringSummary(result: DriftResult): string {
  const failing = (layer: { checks: { id: string; status: string; column?: string }[] } | undefined) =>
    (layer?.checks ?? []).filter((c) => c.status === "fail").map((c) => c.column ?? c.id);
  const drifted = result.columns.filter((c) => c.level === "alert").map((c) => c.column);
  if (result.health.scoreDrift?.level === "alert") drifted.push(result.health.scoreDrift.column);
  const driftLevel = result.columns.length === 0 ? "no data" : worstLevel(result.columns.map((c) => c.level));
  const rows: [string, DriftLevel | null, string[]][] = [
    ["data health (drift)", result.rows.used === 0 ? "no data" : driftLevel, drifted],
    ["multivariate drift (PCA)", result.multivariate?.level ?? null, failing(result.multivariate)],
    ["operational health", result.operations?.level ?? null, failing(result.operations)],
    ["prediction health", result.prediction?.level ?? null, failing(result.prediction)],
    ["business KPIs", result.kpis?.level ?? null, failing(result.kpis)],
    ["segments", result.segments?.level ?? null, failing(result.segments)],
  ];
  const out = [
    `### ${ICON[result.level]} Monitoring: ${escapeMarkdown(result.model.name)} ${escapeMarkdown(result.model.version)} — ${result.level}`,
    "",
    markdownTable(
      ["layer", "level", "alerting"],
      rows.map(([name, level, alerting]) =>
        level === null
          ? [name, "not configured", "—"]
          : [
              name,
              `${ICON[level]} ${level}`,
              alerting.length > 0 ? alerting.map((a) => escapeMarkdown(a)).join(", ") : "—",
            ],
      ),
    ),
  ];
  const timeline = alertTimeline(result);
  if (timeline.length > 0) {
    out.push("", "```mermaid", "timeline", "  title Alerting signals per window (UTC)");
    // ":" separates a timeline's period and events, so none may appear inside them (U+2236 instead).
    for (const w of timeline.slice(-20))
      out.push(
        `  ${windowLabel(w.start).replace(":", "∶")} : ${w.signals.map((s) => mermaidLabel(s.replace(/:/g, " ∶"), 40)).join(" : ")}`,
      );
    out.push("```");
  }
  out.push("", `**Recommended next step:** ${recommendedStep(result)}`);
  return out.join("\n");
}
