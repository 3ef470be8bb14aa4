import { CHOSEN_ON_DATA, WITHOUT_DIRECTION } from "../metrics/operating-metrics.js";
import { METRICS } from "../metrics/registry.js";
import type { MultiplicityAdjustment } from "../results/evaluation.js";
import { normalQuantile } from "../stats/normal.js";
import { escapeMarkdown, inlineCode } from "./escape.js";
import { formatNumber, formatWithInterval, sliceText } from "./evaluation-format.js";
import { isSignificantRegression, type Regression } from "./evaluation-regressions.js";
import type { BaselineSource, EvaluationResult, SuppliedPredictions } from "./evaluation-result.js";
import { markdownTable } from "./markdown-table.js";

/** The mark of a significant regression, in every table of the report. */
export const REGRESSION_MARK = "🔻";

/**
 * The verdict and provenance lines at the top of the Evaluation section: how many significant
 * regressions against which baseline (or why there is none), then rows, bootstrap and level.
 *
 * @example
 * evaluationVerdict(result, regressions);
 * // "⚠️ **2 significant regressions** against churn v1.2.0 (alias production)\n\n5000 rows from data/eval.csv · …"
 */
export function evaluationVerdict(result: EvaluationResult, regressions: readonly Regression[]): string {
  const name = escapeMarkdown(result.model.name, 80);
  const candidate = `**${name} v${escapeMarkdown(result.model.version, 40)}**`;
  let verdict: string;
  if (!result.baseline) {
    verdict = `ℹ️ ${candidate}: no baseline to compare with — ${escapeMarkdown(result.baselineNote ?? "none configured", 300)}`;
  } else {
    const against = `against ${describeSource(result.baseline.source, result.model.name)}`;
    const main = result.metrics[0]!;
    const inMain = regressions.filter((r) => r.metric === main).length;
    verdict =
      regressions.length === 0
        ? `✅ ${candidate}: no significant regression ${against}`
        : `⚠️ ${candidate}: **${regressions.length} significant regression${regressions.length === 1 ? "" : "s"}** ` +
          `(metric × group; ${inMain} in ${main}) ${against}. ${REGRESSION_MARK} marks a change whose ` +
          `simultaneous ${Math.round(result.confidence * 100)}% interval excludes 0 on the worse side.`;
    if (result.baseline.adjustment) verdict += `\n\n${adjustmentNote(result.baseline.adjustment)}`;
  }
  const files = result.data.files;
  const source = files.length === 1 ? files[0]! : `${files.length} files matching ${result.data.source}`;
  const bootstrap =
    result.bootstrap.replicates > 0
      ? `${Math.round(result.confidence * 100)}% intervals from ${result.bootstrap.replicates} paired bootstrap replicates (seed ${result.bootstrap.seed})`
      : "no intervals (bootstrap 0)";
  const threshold = result.threshold === null ? "" : ` · threshold ${result.threshold}`;
  const supplied = result.predictions ? `\n\n${suppliedScoresNote(result.predictions)}` : "";
  return `${verdict}\n\n${result.rows} rows from ${escapeMarkdown(source, 160)}${weightedNote(result)} · ${bootstrap}${threshold}${supplied}`;
}

/**
 * What the rows were weighted by, after the row count: empty when every row weighed 1.
 *
 * @example
 * weightedNote({ ...result, weightColumn: "sample_weight", overall: { ...result.overall, weight: 4812.5 } });
 * // ", weighted by `sample_weight` (total weight 4812.5)"
 */
export function weightedNote(result: Pick<EvaluationResult, "weightColumn" | "overall">): string {
  if (result.weightColumn === undefined) return "";
  const total =
    result.overall.weight === undefined ? "" : ` (total weight ${formatNumber(result.overall.weight)})`;
  return `, weighted by ${inlineCode(result.weightColumn)}${total}`;
}

/**
 * The line that says the scores were supplied, not computed here, with the digest of what was read.
 *
 * @example
 * suppliedScoresNote({ source: "models/churn/predictions.csv", files: [{ path: "models/churn/predictions.csv", sha256: "ab12…" }],
 *   key: ["customer_id"], candidate: ["score"], baseline: null });
 * // "📥 Scores supplied, not computed here: column score of models/churn/predictions.csv (sha256 ab12cd34ef56), joined by customer_id. No model was run."
 */
export function suppliedScoresNote(predictions: SuppliedPredictions): string {
  const columns = (names: readonly string[]) => escapeMarkdown(names.join(", "), 200);
  const whose = predictions.baseline
    ? `candidate ${columns(predictions.candidate)}, baseline ${columns(predictions.baseline)}`
    : `column${predictions.candidate.length === 1 ? "" : "s"} ${columns(predictions.candidate)}`;
  const files = predictions.files
    .slice(0, 3)
    .map((f) => `${escapeMarkdown(f.path, 160)} (sha256 ${f.sha256.slice(0, 12)})`)
    .join(", ");
  const more = predictions.files.length > 3 ? ` and ${predictions.files.length - 3} more files` : "";
  const joined = predictions.key ? `, joined by ${escapeMarkdown(predictions.key.join(", "), 120)}` : "";
  return `📥 Scores supplied, not computed here: ${whose} of ${files}${more}${joined}. No model was run.`;
}

/**
 * How "significant" was decided, in one line: the simultaneous intervals, over how many
 * comparisons, and that ECE changes are not judged.
 *
 * @example
 * adjustmentNote({ method: "sup-t", confidence: 0.95, comparisons: 96, critical: 3.1 });
 * // "Significance is controlled across all 96 metric × group changes: simultaneous 95% intervals (sup-t, ±3.10 standard errors; one change alone would use ±1.96). …"
 */
export function adjustmentNote(adjustment: MultiplicityAdjustment): string {
  const level = Math.round(adjustment.confidence * 100);
  return (
    `Significance is controlled across all ${adjustment.comparisons} metric × group changes: ` +
    `simultaneous ${level}% intervals (sup-t, ±${adjustment.critical.toFixed(2)} standard errors; ` +
    `one change alone would use ±${normalQuantile((1 + adjustment.confidence) / 2).toFixed(2)}), so with no real ` +
    `change at most ${100 - level}% of reports show any ${REGRESSION_MARK}. The intervals shown are ` +
    `per change; \`ciAdjusted\` in evaluation.json holds the simultaneous ones. ECE changes are never ` +
    "judged: the plug-in ECE is biased upward in small groups."
  );
}

/**
 * The headline table: every metric overall, with the candidate's interval, the baseline's value
 * and the paired delta with its interval; arrows say which way is better.
 *
 * @example
 * headlineTable(result);
 * // "| Metric | Candidate | Baseline | Δ candidate − baseline | |\n| --- | ...\n| roc_auc ↑ | 0.814 [0.80, 0.83] | ..."
 */
export function headlineTable(result: EvaluationResult): string {
  const baseline = result.baseline;
  const columns = ["Metric", "Candidate", ...(baseline ? ["Baseline", "Δ candidate − baseline", ""] : [])];
  const rows = result.metrics.map((metric) => {
    const arrow = WITHOUT_DIRECTION.has(metric) ? "" : METRICS[metric].direction === "higher" ? " ↑" : " ↓";
    const name = `${metric}${CHOSEN_ON_DATA.has(metric) ? " †" : ""}${arrow}`;
    const candidate = formatWithInterval(result.overall.metrics[metric]);
    if (!baseline) return [name, candidate];
    const delta = baseline.overall.delta[metric];
    const mark = isSignificantRegression(metric, delta) ? REGRESSION_MARK : "";
    return [
      name,
      candidate,
      formatWithInterval(baseline.overall.metrics[metric]),
      formatWithInterval(delta, true),
      mark,
    ];
  });
  return markdownTable(columns, rows);
}

/**
 * How a baseline is named in the report.
 *
 * @example
 * describeSource({ kind: "alias", reference: "production", version: "1.2.0", release: "churn v1.2.0", asset: "model.onnx" }, "churn");
 * // "churn v1.2.0 (alias production)"
 */
export function describeSource(source: BaselineSource, model: string): string {
  if (source.kind === "path") return `the model file ${escapeMarkdown(source.path, 160)}`;
  if (source.kind === "supplied") {
    return `the supplied scores ${escapeMarkdown(source.reference, 120)} of ${escapeMarkdown(source.path, 160)}`;
  }
  const version = `${escapeMarkdown(model, 80)} v${escapeMarkdown(source.version, 40)}`;
  return source.kind === "alias" ? `${version} (alias ${escapeMarkdown(source.reference, 60)})` : version;
}

/**
 * A slice key as escaped Markdown; the overall group is `overall`.
 *
 * @example
 * sliceMarkdown({ region: "@team" }); // "region\\=@\u2060team"
 */
export function sliceMarkdown(key: Record<string, string> | null): string {
  return key === null ? "overall" : escapeMarkdown(sliceText(key), 120);
}
