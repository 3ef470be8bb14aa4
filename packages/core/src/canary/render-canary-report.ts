import { escapeMarkdown } from "../report/escape.js";
import { markdownTable } from "../report/markdown-table.js";
import { mermaidXyChart } from "../report/mermaid-xychart.js";
import type { CanaryResult, CanaryWindow, WindowSums } from "./canary-result.js";

const ICON = { pass: "✅", warn: "⚠️", fail: "❌" } as const;
const VERDICT = {
  expand: "expand",
  hold: "hold",
  rollback: "roll back",
  complete: "rollout complete",
} as const;

/**
 * The canary report: verdict and what it does, what a hold still needs, one row per check
 * (status, measured value, limit, always-valid interval, reason) and a Mermaid chart of each
 * signal per arm over time. Data-derived text is escaped.
 *
 * @example
 * renderCanaryReport(result);
 * // "## Canary: churn 1.4.0 at canary (5%)\n\n⚠️ **Verdict: hold** …"
 */
export function renderCanaryReport(result: CanaryResult, actions: readonly string[] = []): string {
  const { candidate, incumbent, stage } = result;
  const lines = [
    `## Canary: ${escapeMarkdown(result.model)} ${escapeMarkdown(candidate.version)} at ${escapeMarkdown(stage.name)} (${share(stage.traffic)})`,
    "",
    `${ICON[result.status]} **Verdict: ${VERDICT[result.verdict]}**${result.verdict === "expand" && result.next ? ` to ${escapeMarkdown(result.next.name)} (${share(result.next.traffic)})` : ""} · ${candidate.requests} requests of ${escapeMarkdown(candidate.version)} vs ${incumbent.requests} of ${escapeMarkdown(incumbent.version)} since ${stage.start}`,
    "",
    ...result.reasons.map((r) => `- ${escapeMarkdown(r, 400)}`),
  ];
  if (result.needs) lines.push("", `**Still needed:** ${escapeMarkdown(result.needs.reason, 300)}`);
  if (actions.length > 0)
    lines.push("", "**Actions:**", ...actions.map((a) => `- ${escapeMarkdown(a, 300)}`));
  if (result.checks.length > 0) {
    lines.push(
      "",
      markdownTable(
        ["Check", "Status", "Value", "Limit", "Always-valid interval", "Reason"],
        result.checks.map((c) => [
          { text: c.id },
          `${ICON[c.status]} ${c.status}`,
          num(c.value),
          num(c.limit),
          c.interval ? `[${num(c.interval[0])}, ${num(c.interval[1])}]` : "—",
          { text: c.reason, max: 300 },
        ]),
      ),
      "",
      `Error rate ${result.alpha} across all looks (always-valid confidence sequences, Johari et al. 2017; Howard et al. 2021), split across the checks.`,
    );
  }
  if (result.predictions) lines.push("", ...predictionTable(result));
  const charts = canaryCharts(result.windows, shiftedClass(result));
  if (charts.length > 0)
    lines.push("", "### Signals per arm over time (bars: new version, line: incumbent)", "", ...charts);
  return `${lines.join("\n")}\n`;
}

const SIGNALS: { title: string; y: string; of: (s: WindowSums) => number | null }[] = [
  { title: "Requests per window", y: "requests", of: (s) => s.requests },
  {
    title: "Error rate per window",
    y: "error rate",
    of: (s) => (s.errorRows > 0 ? s.errors / s.errorRows : null),
  },
  {
    title: "Mean latency per window",
    y: "ms",
    of: (s) => (s.latencyN > 0 ? s.latencySum / s.latencyN : null),
  },
  { title: "Mean score per window", y: "score", of: (s) => (s.scoreN > 0 ? s.scoreSum / s.scoreN : null) },
];

/** The served predictions of both arms: mean score and each class's share. */
function predictionTable(result: CanaryResult): string[] {
  const { candidate, incumbent } = result.predictions!;
  const classes = [...new Set([...Object.keys(candidate.classShares), ...Object.keys(incumbent.classShares)])]
    .sort()
    .slice(0, 20);
  const rows: string[][] = [];
  if (candidate.scores > 0 || incumbent.scores > 0)
    rows.push([
      "mean score (n)",
      `${num(candidate.meanScore)} (${candidate.scores})`,
      `${num(incumbent.meanScore)} (${incumbent.scores})`,
    ]);
  for (const c of classes) {
    rows.push([
      `share of class ${escapeMarkdown(c)}`,
      share(candidate.classShares[c] ?? 0),
      share(incumbent.classShares[c] ?? 0),
    ]);
  }
  const columns = [
    "Served predictions",
    `${escapeMarkdown(result.candidate.version)} (new)`,
    `${escapeMarkdown(result.incumbent.version)} (incumbent)`,
  ];
  return [markdownTable(columns, rows)];
}

/** The class whose share moved most between the arms: its share is charted per window. */
function shiftedClass(result: CanaryResult): string | undefined {
  if (!result.predictions) return undefined;
  const { candidate, incumbent } = result.predictions;
  const classes = [
    ...new Set([...Object.keys(candidate.classShares), ...Object.keys(incumbent.classShares)]),
  ];
  const gap = (c: string) => Math.abs((candidate.classShares[c] ?? 0) - (incumbent.classShares[c] ?? 0));
  // Two classes always move by the same amount: ties (to rounding) go to the first name.
  return classes.sort((a, b) => {
    const d = gap(b) - gap(a);
    return Math.abs(d) > 1e-12 ? d : a < b ? -1 : 1;
  })[0];
}

/** One Mermaid chart per signal that has values in some window (at most the latest 48 windows). */
function canaryCharts(windows: readonly CanaryWindow[], shifted: string | undefined): string[] {
  const shown = windows.slice(-48);
  const charts: string[] = [];
  const signals = [...SIGNALS];
  if (shifted !== undefined) {
    signals.push({
      title: `Share of class ${shifted} per window`,
      y: "share",
      of: (s) => {
        const total = Object.values(s.classes ?? {}).reduce((a, b) => a + b, 0);
        return total > 0 ? (s.classes[shifted] ?? 0) / total : null;
      },
    });
  }
  for (const signal of signals) {
    const bar = shown.map((w) => signal.of(w.arms.candidate));
    const line = shown.map((w) => signal.of(w.arms.incumbent));
    if (!bar.some((v) => v !== null) && !line.some((v) => v !== null)) continue;
    charts.push(
      mermaidXyChart({
        title: signal.title,
        xTitle: "window start (UTC)",
        yTitle: signal.y,
        labels: shown.map((w) => w.start.slice(5, 16).replace("T", " ")),
        bar: bar.map((v) => v ?? 0),
        line: line.map((v) => v ?? 0),
      }),
    );
  }
  return charts;
}

const share = (x: number): string => `${Number((x * 100).toPrecision(3))}%`;
const num = (x: number | null): string => (x === null ? "—" : String(Number(x.toPrecision(4))));
