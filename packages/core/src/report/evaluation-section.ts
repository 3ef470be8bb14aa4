import { customMetricsTable } from "./evaluation-custom.js";
import { chosenOnDataNote, fairnessTable } from "./evaluation-fairness.js";
import { evaluationVerdict, headlineTable } from "./evaluation-headline.js";
import { findRegressions } from "./evaluation-regressions.js";
import type { EvaluationResult } from "./evaluation-result.js";
import { detailsBlocks, rankSlices, slicesChart, slicesTable, suppressedLine } from "./evaluation-slices.js";
import { undefinedMetricNotes } from "./evaluation-undefined.js";
import { truncateMarkdown } from "./sticky-fit.js";

/** Limits of {@link renderEvaluationSection}. */
export interface RenderEvaluationOptions {
  /** Most slices in the slices table and in each details block (default 100); halved until the section fits. */
  maxRows?: number;
  /** Most slices drawn in the chart (default 20): more bars than that are unreadable. */
  maxChartSlices?: number;
  /** Most characters of the section (default 40,000), leaving room in the 65,536-character comment for the others. */
  maxChars?: number;
}

/**
 * The "Evaluation" section of the sticky PR comment and the job summary: the verdict, the headline
 * table of every metric (candidate with its interval, baseline, paired delta with its interval,
 * 🔻 where the delta's interval excludes 0 in the bad direction), the slices table of the main
 * metric (the first of `evaluation.metrics`) worst first, suppressed slices with their `< k`
 * sizes, a Mermaid chart of the main metric per slice, and all metrics per slice folded in
 * `<details>`. Data-derived text is escaped. When it does not fit `maxChars`, fewer slices are
 * listed (and the note says how many were left out); as a last resort the tail is cut visibly.
 *
 * @example
 * renderEvaluationSection(result);
 * // "### Evaluation\n\n⚠️ **churn v1.3.0**: **1 significant regression** against churn v1.2.0 (alias production) …"
 */
export function renderEvaluationSection(
  result: EvaluationResult,
  options: RenderEvaluationOptions = {},
): string {
  const maxChars = options.maxChars ?? 40_000;
  const chartCap = options.maxChartSlices ?? 20;
  const regressions = findRegressions(result.baseline, result.metrics);
  const ranked = rankSlices(result);
  let limit = options.maxRows ?? 100;
  for (;;) {
    const text = compose(result, regressions, ranked, limit, chartCap);
    if (text.length <= maxChars) return text;
    if (limit === 0) {
      return truncateMarkdown(
        text,
        maxChars,
        (o) =>
          `> [!WARNING]\n> Truncated: ${o.lines} lines of this section did not fit; evaluation.json has every number.`,
      );
    }
    limit = Math.floor(limit / 2);
  }
}

function compose(
  result: EvaluationResult,
  regressions: ReturnType<typeof findRegressions>,
  ranked: ReturnType<typeof rankSlices>,
  limit: number,
  chartCap: number,
): string {
  const parts = ["### Evaluation", "", evaluationVerdict(result, regressions), "", headlineTable(result)];
  const custom = customMetricsTable(result);
  if (custom) parts.push("", custom);
  const chosen = chosenOnDataNote(result);
  if (chosen) parts.push("", chosen);
  const undefinedNotes = undefinedMetricNotes(result);
  if (undefinedNotes.length > 0) parts.push("", "Shown as —:", ...undefinedNotes);
  const fairness = fairnessTable(result);
  if (fairness) parts.push("", fairness);
  if (result.slices.length > 0) {
    const main = result.metrics[0]!;
    parts.push("", `#### Slices by ${main}, worst first`, "");
    parts.push(
      ranked.length > 0 ? slicesTable(result, ranked, limit) : "No slice is large enough to report.",
    );
    const suppressed = suppressedLine(result, Math.max(limit, 5));
    if (suppressed) parts.push("", suppressed);
    const chart = slicesChart(result, ranked, chartCap);
    if (chart) parts.push("", chart);
    for (const block of detailsBlocks(result, limit)) parts.push("", block);
  }
  return `${parts.join("\n")}\n`;
}
