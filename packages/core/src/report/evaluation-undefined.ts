import type { MetricResult } from "../results/evaluation.js";
import { escapeMarkdown } from "./escape.js";
import type { EvaluationResult } from "./evaluation-result.js";

/**
 * Why metrics shown as "—" have no value: one line per undefined overall metric (candidate, then
 * baseline) and one per distinct reason among the reported slices, with how many slices it hit.
 * Tables can only show a dash; the reason belongs in the report as much as in evaluation.json.
 *
 * @example
 * undefinedMetricNotes(result);
 * // ["- roc_auc is undefined overall: one class only: every label is 0", "- roc_auc is undefined in 7 slices: one class only: …"]
 */
export function undefinedMetricNotes(result: EvaluationResult, maxLines = 12): string[] {
  const lines: string[] = [];
  const overall = (who: string, metrics: Record<string, MetricResult | undefined>) => {
    for (const metric of result.metrics) {
      const m = metrics[metric];
      if (m && m.value === null && m.reason) {
        lines.push(`- ${metric} is undefined ${who}: ${escapeMarkdown(m.reason, 200)}`);
      }
    }
  };
  overall("overall", result.overall.metrics);
  if (result.baseline) overall("for the baseline overall", result.baseline.overall.metrics);

  const inSlices = new Map<string, number>();
  for (const slice of result.slices) {
    if (slice.suppressed) continue;
    for (const metric of result.metrics) {
      const m = slice.metrics[metric];
      if (!m || m.value !== null || !m.reason) continue;
      const key = `${metric}\u0000${m.reason}`;
      inSlices.set(key, (inSlices.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of inSlices) {
    const [metric, reason] = key.split("\u0000") as [string, string];
    lines.push(
      `- ${metric} is undefined in ${count} slice${count === 1 ? "" : "s"}: ${escapeMarkdown(reason, 200)}`,
    );
  }
  if (lines.length <= maxLines) return lines;
  return [...lines.slice(0, maxLines), `- …and ${lines.length - maxLines} more undefined metrics`];
}
