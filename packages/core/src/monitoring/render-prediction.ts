import type { EstimatedValue } from "../drift/drift-result.js";
import { escapeMarkdown } from "../report/escape.js";
import { formatNumber } from "../report/evaluation-format.js";
import { markdownTable } from "../report/markdown-table.js";
import type { PredictionAlerts } from "./prediction-alerts.js";
import { renderChecks } from "./render-checks.js";
import { windowLabel } from "./window-label.js";

/**
 * The prediction-health limits section of the drift report: each limit's check, and per window
 * the predictions, the low-confidence share (with its interval), the predicted-class shift
 * from the reference's mix and, for multiclass and regression, the labelled rows and their
 * realised metrics.
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
  if (prediction.calibration) out.push("", `Label-free estimate: ${prediction.calibration.reason}.`);
  if (prediction.windows.length === 0) return out.join("\n");
  // Each window's realised metrics of the rows whose outcome arrived (and the whole period's, last).
  const metrics = [...new Set(prediction.windows.flatMap((w) => Object.keys(w.realised ?? {})))];
  const labelled = prediction.windows.some((w) => w.labelled !== undefined);
  // Multiclass with logged class probabilities: each window's label-free estimate.
  const estimated = [...new Set(prediction.windows.flatMap((w) => Object.keys(w.estimated ?? {})))];
  const extra = [
    ...(labelled ? ["labelled"] : []),
    ...metrics.map((m) => `realised ${m} (95% CI)`),
    ...estimated.map((m) => `estimated ${m} (95% CI)`),
  ];
  const rows = prediction.windows.slice(-(options.maxWindows ?? 31)).map((w) => {
    const low = w.lowConfidence
      ? `${formatNumber(100 * w.lowConfidence.share)}% (${formatNumber(100 * w.lowConfidence.ci[0])}–${formatNumber(100 * w.lowConfidence.ci[1])}%)`
      : "—";
    const cells = [
      ...(labelled ? [labelledCell(w.labelled ?? 0, w.realisedSample)] : []),
      ...metrics.map((m) => valueCell(w.realised?.[m])),
      ...estimated.map((m) => valueCell(w.estimated?.[m])),
    ];
    // A window counted only by its class probabilities (no logged class) shows their rows.
    const served =
      w.scored === 0 && w.estimatedRows ? `${w.estimatedRows} (class probabilities only)` : w.scored;
    return [windowLabel(w.start), served, low, formatNumber(w.classShift), ...cells];
  });
  const period = prediction.period;
  if (period && labelled) {
    const scored = prediction.windows.reduce((sum, w) => sum + w.scored, 0);
    rows.push([
      "whole period (not judged)",
      scored,
      "—",
      "—",
      labelledCell(period.labelled, period.realisedSample),
      ...metrics.map((m) => valueCell(period.realised[m])),
      ...estimated.map(() => "—"),
    ]);
  }
  const columns = ["window (UTC)", "predictions", "low-confidence (95% CI)", "class shift", ...extra];
  out.push("", markdownTable(columns, rows));
  return out.join("\n");
}

/** Labelled rows, and the sample the realised metrics were computed on when there were more. */
function labelledCell(labelled: number, sample: number | undefined): string {
  return `${labelled}${sample === undefined ? "" : ` (metrics on a seeded sample of ${sample})`}`;
}

/** A metric with its interval when it has one; `—` when it has no value. */
function valueCell(r: EstimatedValue | undefined): string {
  if (!r || r.value === null) return "—";
  return r.ci
    ? `${formatNumber(r.value)} (${formatNumber(r.ci[0])}–${formatNumber(r.ci[1])})`
    : formatNumber(r.value);
}
