import { escapeMarkdown, inlineCode } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { CardEvaluation } from "./card-results.js";

/** Metrics where a lower value is better, so the worst slice is the highest. */
const LOWER_IS_BETTER = new Set(["log_loss", "brier", "ece", "rmse", "mae", "mape"]);

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? "—" : v.toFixed(4));

/**
 * The evaluation part of the model card: the overall metrics with their intervals, then the
 * slices that do worst on the headline metric (suppressed slices are never shown with numbers).
 * With sample weights it says which column weighted the metrics, and gives each total weight.
 *
 * @example
 * renderCardEvaluation(evaluation, "roc_auc", 5);
 * // "Overall (n = 5000):\n\n| metric | value | interval |\n..."
 */
export function renderCardEvaluation(
  evaluation: CardEvaluation,
  headline: string | undefined,
  worst = 5,
): string {
  const names = Object.keys(evaluation.overall.metrics);
  const column = evaluation.weightColumn;
  const weighted = column === undefined ? "" : `, total weight ${formatNumber(evaluation.overall.weight)}`;
  const lines = [
    `Overall (n = ${escapeMarkdown(String(evaluation.overall.n))}${weighted}):`,
    "",
    ...(column === undefined
      ? []
      : [
          `Every metric and interval is weighted by ${inlineCode(column)} (\`evaluation.weight\`, scikit-learn's \`sample_weight\`); n counts rows.`,
          "",
        ]),
    markdownTable(
      ["metric", "value", "interval"],
      names.map((name) => {
        const m = evaluation.overall.metrics[name]!;
        return [{ text: name }, fmt(m.value), m.ci ? `[${fmt(m.ci[0])}, ${fmt(m.ci[1])}]` : "—"];
      }),
    ),
  ];
  const metric = headline && names.includes(headline) ? headline : names[0];
  if (metric === undefined) return lines.join("\n");
  const sign = LOWER_IS_BETTER.has(metric) ? -1 : 1;
  const ranked = evaluation.slices
    .filter((s) => !s.suppressed && typeof s.metrics[metric]?.value === "number")
    .sort((a, b) => sign * (a.metrics[metric]!.value! - b.metrics[metric]!.value!))
    .slice(0, worst);
  lines.push("");
  if (ranked.length === 0) {
    lines.push(`No slice has a ${escapeMarkdown(metric)} value to rank.`);
    return lines.join("\n");
  }
  lines.push(
    `Worst slices by ${escapeMarkdown(metric)}:`,
    "",
    markdownTable(
      ["slice", "n", ...(column === undefined ? [] : ["weight"]), "value"],
      ranked.map((s) => {
        const key = Object.entries(s.key)
          .map(([column, value]) => `${escapeMarkdown(column)} = ${escapeMarkdown(value)}`)
          .join(", ");
        const size = column === undefined ? [] : [formatNumber(s.weight)];
        return [key, { text: String(s.n) }, ...size, fmt(s.metrics[metric]!.value)];
      }),
    ),
  );
  return lines.join("\n");
}
