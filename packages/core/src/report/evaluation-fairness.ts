import { CHOSEN_ON_DATA } from "../metrics/operating-metrics.js";
import { formatValue } from "../validate/render-validation.js";
import { escapeMarkdown } from "./escape.js";
import { formatWithInterval } from "./evaluation-format.js";
import type { EvaluationResult } from "./evaluation-result.js";
import { markdownTable } from "./markdown-table.js";

/**
 * The note under the headline table when a metric was chosen on the evaluation rows themselves
 * (`value_max`, `f1_max` and their thresholds): marked † there, and optimistic for new data.
 *
 * @example
 * chosenOnDataNote(result);
 * // "† Chosen on these rows: the threshold that maximises value_max on the evaluation data itself, …"
 */
export function chosenOnDataNote(result: EvaluationResult): string | undefined {
  const chosen = result.metrics.filter((m) => CHOSEN_ON_DATA.has(m));
  if (chosen.length === 0) return undefined;
  return (
    `† Chosen on these rows: ${chosen.join(", ")} ${chosen.length === 1 ? "is" : "are"} read at the threshold that ` +
    "is best on the evaluation data itself, so the value is optimistic for new data (the interval re-chooses " +
    "the threshold in every replicate, which accounts for the choice's noise but not for the optimism). " +
    "Hold a threshold fixed in `evaluation.threshold` to gate on an honest value."
  );
}

/**
 * The fairness table: for each `fairness:` rule's metric or criterion, the gap (highest − lowest
 * group) and ratio (lowest / highest) across a column's groups with their intervals, the groups
 * compared and those left out (suppressed: too few rows; or undefined there).
 *
 * @example
 * fairnessTable(result);
 * // "#### Fairness between groups\n\n| Criterion | Across | Gap | Ratio | Groups | Left out |\n| --- | …\n| equalized_odds | region | 0.12 [0.05, 0.20] | …"
 */
export function fairnessTable(result: EvaluationResult): string | undefined {
  const rows = result.fairness ?? [];
  if (rows.length === 0) return undefined;
  const lines = rows.map((f) => {
    const left = f.leftOut.map((l) => `${l.group} (${l.why})`).join(", ") || "—";
    const criterion = f.class === undefined ? f.criterion : `${f.criterion} of class ${f.class}`;
    return [
      { text: criterion, max: 120 },
      { text: f.across, max: 60 },
      formatWithInterval(f.gap),
      formatWithInterval(f.ratio),
      { text: f.groups.join(", "), max: 300 },
      { text: left, max: 300 },
    ];
  });
  // Rules with `confidence:` are judged on the wider intervals adjusted across them: say which.
  const adjusted = rows.flatMap((f) =>
    f.adjustment
      ? [
          `${escapeMarkdown(f.class === undefined ? f.criterion : `${f.criterion} of class ${f.class}`, 120)} across ${escapeMarkdown(f.across, 60)}: gap ${formatWithInterval({ value: f.gap.value, ci: f.gap.ciAdjusted ?? null })}, ratio ${formatWithInterval({ value: f.ratio.value, ci: f.ratio.ciAdjusted ?? null })}`,
        ]
      : [],
  );
  const family = rows.find((f) => f.adjustment)?.adjustment;
  return [
    "#### Fairness between groups",
    "",
    "Gap = highest − lowest group, ratio = lowest / highest; demographic_parity compares selection_rate, " +
      "equal_opportunity recall (the true-positive rate), equalized_odds recall and fpr (the larger gap, the smaller ratio).",
    "",
    markdownTable(["Criterion", "Across", "Gap", "Ratio", "Groups", "Left out"], lines),
    ...(family
      ? [
          "",
          `The gate judges its ${family.family} fairness rule${family.family === 1 ? "" : "s"} with \`confidence:\` on intervals ` +
            `adjusted across them (Bonferroni, each at ${formatValue(family.perInterval * 100)}%): ${adjusted.join("; ")}.`,
        ]
      : []),
  ].join("\n");
}
