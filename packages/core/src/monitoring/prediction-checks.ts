import { classCalibrationCheck } from "../drift/class-calibration.js";
import { realisedTaskMetrics } from "../drift/realised-metrics.js";
import { parseDuration } from "../manifest/duration.js";
import type { DriftLevel } from "../profile/compare-column.js";
import type { Check } from "../results/check.js";
import { wilsonInterval } from "../stats/wilson-interval.js";
import { estimatedWindowChecks, estimateOf, metricChecks, withEstimateWindows } from "./estimated-checks.js";
import type { WindowBreach } from "./operational-health.js";
import type { PredictionAlerts, PredictionWindow } from "./prediction-alerts.js";
import type { PredictionSettings } from "./prediction-settings.js";
import type { PredictionWindowState } from "./prediction-tally.js";
import { periodOf, windowMetricChecks } from "./realised-checks.js";
import { mixOf, totalVariation, windowShareChecks } from "./window-share-checks.js";

/**
 * Prediction health that can alert. Realised metrics (rows whose outcome arrived) are judged only
 * with at least `min-labelled` labelled rows, and on their bootstrap interval: `min` fails when
 * the whole interval is below it, `max-drop` when the whole interval is more than the drop below
 * the released evaluation's value — so labels for a tiny share of rows, whose interval is wide,
 * never alert on noise. The label-free estimate (CBPE) is judged the same way on its interval;
 * without one (no calibration established) a value below the limit warns, never fails. Per window:
 * the low-confidence share fails when its whole Wilson interval is above `max-share`, and the
 * predicted-class mix when its total variation distance from the reference's exceeds `max-shift`;
 * windows with fewer than `min-rows` predictions never alert.
 *
 * @example
 * finishPrediction(windows, { window: "1d", limits, performance: result.performance, reference, score: "score", threshold: 0.5 }).checks;
 * // [{ id: "realised-roc_auc", status: "fail", value: 0.61, limit: 0.7, reason: "realised roc_auc 0.61 [0.57, 0.65] on 2,400 labelled rows: whole interval below the minimum 0.7" }, ...]
 */
export function finishPrediction(
  states: PredictionWindowState[],
  settings: PredictionSettings,
): PredictionAlerts {
  const width = parseDuration(settings.window);
  const { limits } = settings;
  const referenceMix = mixOf(settings.reference, settings.score, settings.threshold, settings.task);
  const windows: PredictionWindow[] = withEstimateWindows(states, settings).map((w) => {
    const shares: Record<string, number> = {};
    for (const [c, n] of Object.entries(w.classes)) shares[c] = n / w.scored;
    const lowConfidence =
      settings.threshold !== undefined && w.scored > 0
        ? { share: w.lowConfidence / w.scored, ci: wilsonInterval(w.lowConfidence, w.scored)! }
        : null;
    const task = settings.task;
    const estimated = estimateOf(w.start, settings);
    const realised =
      w.labelled && w.labelled.actual.length > 0 && task
        ? realisedTaskMetrics(task, w.labelled.predicted, w.labelled.actual, {
            seed: w.start,
            threshold: settings.threshold,
          })
        : null;
    return {
      start: new Date(w.start).toISOString(),
      end: new Date(w.start + width).toISOString(),
      scored: w.scored,
      lowConfidence,
      classShares: shares,
      classShift: referenceMix && w.scored > 0 ? totalVariation(shares, referenceMix.shares) : null,
      ...(w.labelled ? { labelled: w.labelled.seen } : {}),
      ...(realised ? { realised } : {}),
      ...(estimated ? { estimated: estimated.values, estimatedRows: estimated.rows } : {}),
      ...(realised && w.labelled!.actual.length < w.labelled!.seen
        ? { realisedSample: w.labelled!.actual.length }
        : {}),
    };
  });
  const breaches: WindowBreach[] = [];
  const period = periodOf(states, settings);
  const checks: Check[] = [
    ...windowMetricChecks(breaches, limits.realised, windows, period, settings),
    ...(settings.estimate
      ? estimatedWindowChecks(breaches, limits.estimated, windows, settings)
      : metricChecks("estimated", limits.estimated, settings)),
    ...windowShareChecks(breaches, windows, referenceMix, settings),
  ];
  const judged = checks.filter((c) => c.status !== "skip");
  const level: DriftLevel =
    judged.length === 0
      ? "no data"
      : judged.some((c) => c.status === "fail")
        ? "alert"
        : judged.some((c) => c.status === "warn")
          ? "warn"
          : "ok";
  const calibration = settings.estimate ? classCalibrationCheck(settings.estimate.calibration) : undefined;
  return {
    referenceMix,
    windows,
    ...(period ? { period } : {}),
    checks,
    breaches,
    ...(calibration ? { calibration } : {}),
    level,
  };
}
