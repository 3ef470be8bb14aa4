import { escapeMarkdown } from "./escape.js";
import { formatWithInterval } from "./evaluation-format.js";
import type { EvaluationResult } from "./evaluation-result.js";
import { markdownTable } from "./markdown-table.js";

/**
 * The custom metrics table: each metric defined in `evaluation.custom-metrics` with its expression,
 * the candidate's value and interval overall and, with a baseline, the baseline's and the paired
 * change. (Per slice they are in evaluation.json, where gate rules read them.)
 *
 * @example
 * customMetricsTable(result);
 * // "#### Custom metrics\n\n| Metric | Expression | Candidate |\n| --- | --- | --- |\n| net_value ↑ | `(tp * 120 - fp * 15) / n` | 8.2 [7.1, 9.4] |"
 */
export function customMetricsTable(result: EvaluationResult): string | undefined {
  const custom = Object.entries(result.custom ?? {});
  if (custom.length === 0) return undefined;
  const baseline = result.baseline;
  const columns = [
    "Metric",
    "Expression",
    "Candidate",
    ...(baseline ? ["Baseline", "Δ candidate − baseline"] : []),
  ];
  const rows = custom.map(([name, def]) => {
    const shown = `${escapeMarkdown(name, 60)} ${def.direction === "higher" ? "↑" : "↓"}`;
    const of = def.from === "rows" ? "mean over rows of " : "";
    // Inline code keeps the operators literal (the table escapes its pipes); backticks cannot occur in a parsed expression.
    const expression = `${of}\`${def.expression.replaceAll("`", "")}\``;
    const candidate = formatWithInterval(result.overall.metrics[name as keyof typeof result.overall.metrics]);
    if (!baseline) return [shown, expression, candidate];
    const key = name as keyof typeof baseline.overall.metrics;
    return [
      shown,
      expression,
      candidate,
      formatWithInterval(baseline.overall.metrics[key]),
      formatWithInterval(baseline.overall.delta[key], true),
    ];
  });
  return ["#### Custom metrics", "", markdownTable(columns, rows)].join("\n");
}
