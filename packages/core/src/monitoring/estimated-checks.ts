import { classCalibrationCheck } from "../drift/class-calibration.js";
import type { EstimatedValue } from "../drift/drift-result.js";
import { MULTICLASS_ESTIMATED_METRICS, multiclassEstimate } from "../drift/multiclass-estimate.js";
import type { Check } from "../results/check.js";
import type { WindowBreach } from "./operational-health.js";
import type { PredictionWindow } from "./prediction-alerts.js";
import {
  boundsOf,
  type MetricLimit,
  type MetricLimits,
  type MetricName,
  type PredictionSettings,
} from "./prediction-settings.js";
import type { PredictionWindowState } from "./prediction-tally.js";
import { signalNumber } from "./signal-format.js";

/**
 * Estimated limits judged on drift-check's whole-population performance (a binary classifier's
 * CBPE), or skipped saying why there is none (a segment, a multiclass model without class
 * probabilities, a regression model).
 */
export function metricChecks(
  kind: "realised" | "estimated",
  limits: MetricLimits | undefined,
  settings: PredictionSettings,
): Check[] {
  const out: Check[] = [];
  for (const [metric, limit] of Object.entries(limits ?? {}) as [MetricName, MetricLimits[MetricName]][]) {
    if (!limit) continue;
    const id = `${kind}-${metric}`;
    const perf = settings.performance;
    const measured = kind === "realised" ? perf?.realised[metric] : perf?.estimated[metric];
    const { bounds, skips, limitValue, skip } = boundsOf(id, metric, limit, settings);
    if (!perf) {
      out.push(
        skip(
          kind === "estimated" && settings.segment
            ? "label-free estimates are computed on the whole population, not per segment"
            : kind === "estimated" && settings.task !== undefined && settings.task !== "binary"
              ? settings.task === "multiclass"
                ? "a multiclass model's estimate needs its logged class probabilities (monitoring.probabilities)"
                : `there is no label-free estimate for a ${settings.task} model`
              : "no performance to judge (binary classifiers with a score field only)",
        ),
      );
      continue;
    }
    if (kind === "realised" && perf.labelled < settings.limits["min-labelled"]) {
      out.push(skip(`only ${perf.labelled} labelled rows (min-labelled ${settings.limits["min-labelled"]})`));
      continue;
    }
    if (!measured || measured.value === null) {
      out.push(skip(measured?.reason ?? "not measured"));
      continue;
    }
    if (bounds.length === 0) {
      out.push(skip(skips.join("; ")));
      continue;
    }
    const ci = measured.ci ?? null;
    const where = kind === "realised" ? ` on ${perf.labelled} labelled rows` : "";
    const shown = `${kind} ${metric} ${signalNumber(measured.value)}${ci ? ` [${signalNumber(ci[0])}, ${signalNumber(ci[1])}]` : ""}${where}`;
    const breached = bounds.filter((b) => (ci ? ci[1] < b.value : measured.value! < b.value));
    const status = breached.length === 0 ? "pass" : ci ? "fail" : "warn";
    const tail = skips.length > 0 ? ` (${skips.join("; ")})` : "";
    const reason =
      breached.length === 0
        ? `${shown}: within ${bounds.map((b) => b.name).join(" and ")}${tail}`
        : ci
          ? `${shown}: whole interval below ${breached.map((b) => b.name).join(" and ")}${tail}`
          : `${shown}: below ${breached.map((b) => b.name).join(" and ")}, without an interval (calibration not established), so a warning${tail}`;
    out.push({ id, status, value: measured.value, limit: limitValue, reason: `${id}: ${reason}` });
  }
  return out;
}

/**
 * The prediction windows and, with a multiclass estimate, an empty one (no logged class counted)
 * for each window only the class probabilities were counted in, so its estimate is shown and judged.
 */
export function withEstimateWindows(
  states: readonly PredictionWindowState[],
  settings: PredictionSettings,
): PredictionWindowState[] {
  const starts = new Set(states.map((w) => w.start));
  const only = (settings.estimate?.windows ?? []).filter((e) => e.rows > 0 && !starts.has(e.start));
  if (only.length === 0) return [...states];
  return [...states, ...only.map((e) => ({ start: e.start, scored: 0, lowConfidence: 0, classes: {} }))].sort(
    (a, b) => a.start - b.start,
  );
}

/** A window's multiclass estimate and its rows, when the model logs class probabilities (and the window has some). */
export function estimateOf(
  start: number,
  settings: PredictionSettings,
): { values: Record<string, EstimatedValue>; rows: number } | null {
  const estimate = settings.estimate;
  const counted = estimate?.windows.find((e) => e.start === start);
  if (!estimate || !counted || counted.rows === 0) return null;
  const { calibration } = estimate;
  const values = multiclassEstimate(
    counted.counts,
    calibration.status === "recalibrated" ? calibration : null,
    calibration.classes.length,
    { seed: `${estimate.seed}/${start}` },
  );
  return { values, rows: counted.rows };
}

/**
 * Multiclass estimated limits, per window (as the realised ones): a window with at least
 * `min-rows` rows with class probabilities breaches when its estimate's whole interval is below a bound. Without an
 * interval (calibration not established) a value below a bound warns, never fails. The
 * calibration itself is a check: `warn` when the reference could not establish it.
 */
export function estimatedWindowChecks(
  breaches: WindowBreach[],
  limits: MetricLimits | undefined,
  windows: PredictionWindow[],
  settings: PredictionSettings,
): Check[] {
  const calibration = classCalibrationCheck(settings.estimate!.calibration);
  const out: Check[] = [
    {
      id: "calibration",
      status: calibration.status === "recalibrated" ? "pass" : "warn",
      value: null,
      limit: null,
      reason: `calibration: ${calibration.reason}`,
    },
  ];
  const offered: readonly string[] = MULTICLASS_ESTIMATED_METRICS;
  for (const [metric, limit] of Object.entries(limits ?? {}) as [MetricName, MetricLimit | undefined][]) {
    if (!limit) continue;
    const id = `estimated-${metric}`;
    const { bounds, skips, limitValue, skip } = boundsOf(id, metric, limit, settings);
    if (!offered.includes(metric)) {
      out.push(skip(`not estimated for a multiclass model (drift-check estimates ${offered.join(", ")})`));
      continue;
    }
    const minRows = settings.limits["min-rows"];
    const judged = windows.filter(
      (w) => (w.estimatedRows ?? 0) >= minRows && w.estimated?.[metric]?.value != null,
    );
    if (judged.length === 0) {
      out.push(skip(`no window has min-rows ${minRows} predictions with class probabilities`));
      continue;
    }
    if (bounds.length === 0) {
      out.push(skip(skips.join("; ")));
      continue;
    }
    const estimateOfWindow = (w: PredictionWindow) => w.estimated![metric]!;
    const breachedBy = (w: PredictionWindow) =>
      bounds.filter((b) => {
        const { value, ci } = estimateOfWindow(w);
        return ci ? ci[1] < b.value : value! < b.value;
      });
    const breaching = judged.filter((w) => breachedBy(w).length > 0);
    const withInterval = breaching.some((w) => estimateOfWindow(w).ci);
    if (withInterval) for (const w of breaching) breaches.push({ start: w.start, check: id });
    const pool = breaching.length > 0 ? breaching : judged;
    const worst = pool.reduce((a, b) => (estimateOfWindow(b).value! < estimateOfWindow(a).value! ? b : a));
    const { value, ci } = estimateOfWindow(worst);
    const shown = `estimated ${metric} ${signalNumber(value!)}${ci ? ` [${signalNumber(ci[0])}, ${signalNumber(ci[1])}]` : ""} in the window from ${worst.start} (${worst.estimatedRows} predictions, no labels)`;
    const tail = skips.length > 0 ? ` (${skips.join("; ")})` : "";
    const names = breachedBy(worst)
      .map((b) => b.name)
      .join(" and ");
    const reason =
      breaching.length === 0
        ? `${shown} (worst of ${judged.length} judged windows): within ${bounds.map((b) => b.name).join(" and ")}${tail}`
        : ci
          ? `${shown}: whole interval below ${names} (${breaching.length} of ${judged.length} judged windows breach)${tail}`
          : `${shown}: below ${names}, without an interval (calibration not established), so a warning${tail}`;
    out.push({
      id,
      status: breaching.length === 0 ? "pass" : ci ? "fail" : "warn",
      value: value!,
      limit: limitValue,
      reason: `${id}: ${reason}`,
    });
  }
  return out;
}
