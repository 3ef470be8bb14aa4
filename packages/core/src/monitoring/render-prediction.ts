import { escapeMarkdown } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import type { PredictionAlerts } from "./prediction-checks.js";
import { renderChecks } from "./render-checks.js";

/**
 * The prediction-health limits section of the drift report: each limit's check, and per window
 * the predictions, the low-confidence share (with its interval) and the predicted-class shift
 * from the reference's mix.
 *
 * @example
 * renderPrediction(prediction);
 * // "#### Prediction health limits\n\n| check | status | value | limit | reason |\n..."
 */
export function renderPrediction(
  prediction: PredictionAlerts,
  options: { maxWindows?: number } = {},
): string {
  const out = ["#### Prediction health limits", "", ...renderChecks(prediction.checks)];
  const mix = prediction.referenceMix;
  if (mix) {
    const shares = Object.entries(mix.shares)
      .map(([c, s]) => `${escapeMarkdown(c)} ${formatNumber(100 * s)}%`)
      .join(", ");
    out.push(
      "",
      `Reference predicted-class mix (${mix.from === "sketch" ? "from its quantile sketch" : `from its ${mix.from}`}): ${shares}.`,
    );
  }
  if (prediction.windows.length === 0) return out.join("\n");
  out.push(
    "",
    "| window (UTC) | predictions | low-confidence (95% CI) | class shift |",
    "| --- | --- | --- | --- |",
  );
  for (const w of prediction.windows.slice(-(options.maxWindows ?? 31))) {
    const low = w.lowConfidence
      ? `${formatNumber(100 * w.lowConfidence.share)}% (${formatNumber(100 * w.lowConfidence.ci[0])}–${formatNumber(100 * w.lowConfidence.ci[1])}%)`
      : "—";
    out.push(
      `| ${w.start.slice(0, 16).replace("T", " ")} | ${w.scored} | ${low} | ${formatNumber(w.classShift)} |`,
    );
  }
  return out.join("\n");
}
