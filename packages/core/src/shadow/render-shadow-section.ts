import { escapeMarkdown, inlineCode } from "../report/escape.js";
import { formatNumber, formatWithInterval, sliceText } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { CheckStatus } from "../results/check.js";
import { renderShadowSkew } from "./render-shadow-skew.js";
import { shadowChart } from "./shadow-chart.js";
import type {
  BatchTiming,
  BenchmarkBatch,
  LatencyPercentiles,
  RequestDifference,
  ShadowResult,
} from "./shadow-result.js";

const ICON: Record<CheckStatus, string> = { pass: "✅", warn: "⚠️", fail: "❌", skip: "⏭️" };
/** Rows of the slice table; the full list is in shadow.json. */
const SHOWN_SLICES = 10;
const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;
const ms = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${formatNumber(v)} ms`);

/**
 * The "Shadow" section of the sticky comment and the job summary: the recommendation and its
 * reasons, the checks, the decision table, both score distributions as a Mermaid chart, slices
 * worst first, the ids of the largest disagreements, latency, outcomes and skew. Data-derived text
 * (ids, slice values, column and file names) is escaped; feature values appear only when the
 * result carries them (`show-rows: true`).
 *
 * @example
 * renderShadowSection(result);
 * // "### Shadow\n\n✅ **Recommendation: promote to canary** · 5000 requests compared …"
 */
export function renderShadowSection(result: ShadowResult): string {
  const icon = result.recommendation === "hold" ? "❌" : result.status === "warn" ? "⚠️" : "✅";
  const what = result.task === undefined ? "scores" : "predictions";
  const scores =
    result.challengerScores === "logged"
      ? `logged candidate ${what}`
      : "candidate scored offline from the logged features";
  const setting =
    result.task === undefined
      ? `threshold ${result.threshold}`
      : result.task === "regression"
        ? `regression, tolerance ${result.regression?.tolerance}`
        : "multiclass";
  const lines = [
    "### Shadow",
    "",
    `${icon} **Recommendation: ${result.recommendation}** · ${result.agreement.n} requests compared from ${inlineCode(result.log.source)} (${scores}; ${setting})`,
    "",
    ...result.reasons.slice(0, 5).map((r) => `- ${escapeMarkdown(r, 300)}`),
    "",
    ...logLine(result),
    markdownTable(
      ["", "Check", "Value", "Limit", "Reason"],
      result.checks.map((c) => [
        ICON[c.status],
        `${c.id}${c.column ? ` (${escapeMarkdown(c.column)})` : ""}`,
        cell(c.value),
        cell(c.limit),
        { text: c.reason, max: 300 },
      ]),
    ),
    "",
    "#### Agreement",
    "",
    ...agreement(result),
    shadowChart(
      result.distribution,
      result.task === "multiclass" ? "class" : result.task === "regression" ? "prediction" : "score",
    ),
    "",
    ...slices(result),
    ...differences("Largest disagreements", result.largestDisagreements, "champion", "candidate"),
    ...latency(result),
    ...outcomes(result),
    ...renderShadowSkew(result, differences),
    ...result.notes.map((n) => `> ${escapeMarkdown(n, 400)}`),
  ];
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

/** The agreement table and its summary line, by task. */
function agreement(r: ShadowResult): string[] {
  const a = r.agreement;
  const shift = `PSI ${formatNumber(r.distribution.psi)}`;
  const ks = `KS ${formatNumber(r.distribution.ks.statistic)} (p ${formatNumber(r.distribution.ks.pValue)})`;
  if (r.multiclass) {
    const m = r.multiclass;
    const names = m.classes.map((c) => escapeMarkdown(c, 40));
    return [
      markdownTable(
        ["champion ↓ · candidate →", ...names],
        m.confusion.map((row, i) => [`**${names[i]}**`, ...row]),
      ),
      "",
      `Class agreement ${formatWithInterval(m.agreement)} · ${shift} of the class mix`,
      "",
      markdownTable(
        ["Class", "Champion share", "Candidate share", "Shift"],
        m.shares.map((c, i) => [
          names[i]!,
          pct(c.champion),
          pct(c.challenger),
          c.shift === null ? "—" : `${c.shift >= 0 ? "+" : "−"}${pct(Math.abs(c.shift))}`,
        ]),
      ),
      "",
    ];
  }
  if (r.regression) {
    const g = r.regression;
    return [
      `Mean difference (candidate − champion) ${formatWithInterval(g.meanDifference, true)} · ${pct(a.disagreement)} of requests differ by more than ${g.tolerance} · correlation ${formatNumber(a.correlation)} · mean absolute difference ${formatNumber(a.meanAbsDiff)} · ${shift} · ${ks}`,
      "",
    ];
  }
  const c = a.confusion!;
  return [
    markdownTable(
      ["", "candidate positive", "candidate negative"],
      [
        ["**champion positive**", c.bothPositive, c.championOnly],
        ["**champion negative**", c.challengerOnly, c.bothNegative],
      ],
    ),
    "",
    `Disagreement ${pct(a.disagreement)} · score correlation ${formatNumber(a.correlation)} · mean absolute difference ${formatNumber(a.meanAbsDiff)} · ${shift} · ${ks}`,
    "",
  ];
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return formatNumber(value);
  return escapeMarkdown(Array.isArray(value) ? value.join(", ") : String(value));
}

/** `; e.g. req-1, req-7`: the first repeated ids, as code so they are never read as Markdown. */
function repeatedExamples(r: ShadowResult): string {
  const ids = r.log.repeatedIds ?? [];
  if (ids.length === 0) return "";
  const more = r.log.duplicateIds > ids.length ? ", …" : "";
  return `; e.g. ${ids.map((id) => inlineCode(id.slice(0, 80))).join(", ")}${more}`;
}

function logLine(r: ShadowResult): string[] {
  const versions = Object.entries(r.log.otherVersions).map(
    ([v, n]) => `${n} of version ${escapeMarkdown(v)}`,
  );
  const parts = [
    r.log.duplicateIds
      ? `${r.log.duplicateIds} repeated request ids (first occurrence kept${repeatedExamples(r)})`
      : "",
    r.log.missingChampionScore ? `${r.log.missingChampionScore} without a champion score` : "",
    r.log.missingChallengerScore ? `${r.log.missingChallengerScore} without a candidate score` : "",
    versions.length ? `${versions.join(", ")} (another model version)` : "",
  ].filter(Boolean);
  const files = r.log.files.length === 1 ? "1 file" : `${r.log.files.length} files`;
  return [
    `${r.log.rows} logged rows in ${files}${parts.length ? `; left out: ${parts.join(", ")}` : ""}.`,
    "",
  ];
}

function slices(r: ShadowResult): string[] {
  if (r.slices.length === 0) return [];
  return [
    "#### Disagreement by slice (worst first)",
    "",
    markdownTable(
      ["Slice", "Requests", "Disagreement"],
      r.slices.map((s) => [
        { text: sliceText(s.key) },
        s.n,
        s.suppressed ? "suppressed (too few)" : pct(s.disagreement),
      ]),
      { maxRows: SHOWN_SLICES, omitted: (left) => `${left} more slices in shadow.json.` },
    ),
    "",
  ];
}

/** The table of requests with the largest differences (ids, the two values, their difference). */
export function differences(
  title: string,
  rows: readonly RequestDifference[],
  a: string,
  b: string,
): string[] {
  if (rows.length === 0) return [];
  const value = (v: number | string | null) =>
    typeof v === "number" ? formatNumber(v) : v === null ? "—" : escapeMarkdown(v, 60);
  const withFeatures = rows.some((d) => d.features);
  const table = markdownTable(
    ["Request", a, b, "Difference", ...(withFeatures ? ["Features"] : [])],
    rows.map((d) => {
      const features = Object.entries(d.features ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
      return [
        { text: d.id, max: 80 },
        value(d.a),
        value(d.b),
        d.diff === null ? "—" : formatNumber(d.diff),
        ...(withFeatures ? [d.features ? { text: features, max: 300 } : ""] : []),
      ];
    }),
  );
  return [`#### ${title}`, "", table, ""];
}

function latency(r: ShadowResult): string[] {
  const { logged, benchmark } = r.latency;
  // Results written before batch sizes were recorded carry only the one-row benchmark.
  const batches: readonly BenchmarkBatch[] = r.latency.benchmarkBatches ?? [{ rows: 1, ...benchmark }];
  const rows = (n: number) => (n === 1 ? "1 row" : `${count(n)} rows`);
  const loggedRow = (name: string, p: LatencyPercentiles | null) =>
    p
      ? [
          [
            `${name}, logged`,
            "served request",
            `${count(p.n)} requests`,
            ms(p.p50Ms),
            ms(p.p95Ms),
            ms(p.p99Ms),
            "—",
          ],
        ]
      : [];
  const timedRow = (name: string, size: number, t: BatchTiming | null) =>
    t
      ? [
          [
            `${name}, in process`,
            rows(size),
            `${count(t.n)} calls`,
            ms(t.p50Ms),
            ms(t.p95Ms),
            ms(t.p99Ms),
            perSecond(t.rowsPerSecond),
          ],
        ]
      : [];
  const timed = batches.flatMap((b) => [
    ...timedRow("champion", b.rows, b.champion),
    ...timedRow("candidate", b.rows, b.challenger),
  ]);
  const body = [
    ...loggedRow("champion", logged.champion),
    ...loggedRow("candidate", logged.challenger),
    ...timed,
  ];
  if (body.length === 0) return [];
  const sizes = batches.filter((b) => b.champion || b.challenger).map((b) => rows(b.rows));
  // The same choice as the latency-p99 check of shadowChecks.
  const source =
    (logged.challenger?.p99Ms ?? null) !== null
      ? "the candidate's logged p99"
      : (benchmark.challenger?.p99Ms ?? null) !== null
        ? "the candidate's one-row in-process p99, as no candidate latency was logged"
        : null;
  return [
    "#### Latency",
    "",
    markdownTable(["", "Batch", "Timed", "p50", "p95", "p99", "Rows/s"], body),
    "",
    ...(timed.length
      ? [
          `In process, ${batches.some((b) => b.champion) ? "both artefacts" : "the candidate artefact"} scored the same logged rows, timed per call at batch sizes of ${sizes.join(" and ")} (rows/s at the median call). These timings include building input tensors and reading outputs but exclude network, request parsing and serialisation; runner timings are noisy.`,
          "",
        ]
      : []),
    ...(source ? [`The latency-p99 check reads ${source}.`, ""] : []),
  ];
}

/** A count with thousands separators. */
function count(n: number): string {
  return n.toLocaleString("en-US");
}

function perSecond(v: number): string {
  return Number.isFinite(v) ? count(Math.round(v)) : "—";
}

function outcomes(r: ShadowResult): string[] {
  const o = r.outcomes;
  if (!o) return [];
  const rows = Object.entries(o.metrics).map(([name, m]) => [
    name,
    formatWithInterval(m.champion),
    formatWithInterval(m.challenger),
    formatWithInterval(m.delta, true),
  ]);
  const weighted = o.weight === undefined ? "" : ` Weighted by ${inlineCode(o.weight)}.`;
  return [
    `#### Outcomes (n = ${o.n})`,
    "",
    `${escapeMarkdown(o.note, 400)}${weighted}`,
    "",
    ...(rows.length
      ? [markdownTable(["Metric", "Champion", "Candidate", "Candidate − champion"], rows), ""]
      : []),
  ];
}
