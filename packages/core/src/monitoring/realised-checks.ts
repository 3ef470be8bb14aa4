import type { EstimatedValue } from "../drift/drift-result.js";
import {
  LABELLED_CAPACITY,
  LOGGED_PREDICTION_METRICS,
  mergedSampleRows,
  realisedTaskMetrics,
} from "../drift/realised-metrics.js";
import type { Check } from "../results/check.js";
import type { WindowBreach } from "./operational-health.js";
import type { PredictionPeriod, PredictionWindow } from "./prediction-alerts.js";
import {
  boundsOf,
  LOWER_IS_BETTER,
  type MetricLimit,
  type MetricLimits,
  type MetricName,
  type PredictionSettings,
} from "./prediction-settings.js";
import type { PredictionWindowState } from "./prediction-tally.js";
import { signalNumber } from "./signal-format.js";

/**
 * Realised limits, per window, for every task: each window with at least `min-labelled` labelled
 * rows is judged on its metric's bootstrap interval (a higher-is-better metric breaches when the
 * whole interval is below a bound, an error when it is wholly above); windows with fewer are never
 * judged, so labels for a tiny share of rows do not alert. The whole period's value is shown
 * beside the worst window's, not judged.
 */
export function windowMetricChecks(
  breaches: WindowBreach[],
  limits: MetricLimits | undefined,
  windows: PredictionWindow[],
  period: PredictionPeriod | null,
  settings: PredictionSettings,
): Check[] {
  const out: Check[] = [];
  const task = settings.task ?? "binary";
  const offered: readonly string[] = LOGGED_PREDICTION_METRICS[task];
  const minLabelled = settings.limits["min-labelled"];
  for (const [metric, limit] of Object.entries(limits ?? {}) as [MetricName, MetricLimit | undefined][]) {
    if (!limit) continue;
    const id = `realised-${metric}`;
    const { bounds, skips, limitValue, skip } = boundsOf(id, metric, limit, settings);
    if (!offered.includes(metric)) {
      out.push(skip(`not a realised metric of a ${task} model (drift-check offers ${offered.join(", ")})`));
      continue;
    }
    if (!windows.some((w) => w.labelled !== undefined)) {
      out.push(skip("no outcomes to judge (monitoring.outcome names the logged outcome field)"));
      continue;
    }
    const lower = LOWER_IS_BETTER.has(metric);
    // A window whose metric has no interval (e.g. ROC AUC on resamples of one class) is not judged.
    const enough = windows.filter((w) => (w.labelled ?? 0) >= minLabelled);
    const judged = enough.filter((w) => w.realised?.[metric]?.value != null && w.realised[metric].ci);
    if (judged.length === 0) {
      const most = Math.max(0, ...windows.map((w) => w.labelled ?? 0));
      out.push(
        skip(
          enough.length === 0
            ? `no window has min-labelled ${minLabelled} labelled rows (most in one window: ${most})`
            : `no window with min-labelled ${minLabelled} labelled rows has a ${metric} interval`,
        ),
      );
      continue;
    }
    if (bounds.length === 0) {
      out.push(skip(skips.join("; ")));
      continue;
    }
    const realisedOf = (w: PredictionWindow) => w.realised![metric]!;
    const breachedBy = (w: PredictionWindow) =>
      bounds.filter((b) => {
        const ci = realisedOf(w).ci!;
        return lower ? ci[0] > b.value : ci[1] < b.value;
      });
    const breaching = judged.filter((w) => breachedBy(w).length > 0);
    for (const w of breaching) breaches.push({ start: w.start, check: id });
    const pool = breaching.length > 0 ? breaching : judged;
    const worse = (a: PredictionWindow, b: PredictionWindow) =>
      lower ? realisedOf(b).value! > realisedOf(a).value! : realisedOf(b).value! < realisedOf(a).value!;
    const worst = pool.reduce((a, b) => (worse(a, b) ? b : a));
    const { value } = realisedOf(worst);
    const shown = `realised ${valueText(metric, realisedOf(worst), worst.labelled!, worst.realisedSample)} in the window from ${worst.start}`;
    const whole = period?.realised[metric];
    const notes = [
      ...skips,
      ...(whole && whole.value !== null
        ? [`whole period ${valueText(metric, whole, period!.labelled, period!.realisedSample)}`]
        : []),
    ];
    const tail = notes.length > 0 ? ` (${notes.join("; ")})` : "";
    const side = lower ? "above" : "below";
    const reason =
      breaching.length > 0
        ? `${shown}: whole interval ${side} ${breachedBy(worst)
            .map((b) => b.name)
            .join(" and ")} (${breaching.length} of ${judged.length} judged windows breach)${tail}`
        : `${shown} (worst of ${judged.length} judged windows): within ${bounds.map((b) => b.name).join(" and ")}${tail}`;
    out.push({
      id,
      status: breaching.length > 0 ? "fail" : "pass",
      value: value!,
      limit: limitValue,
      reason: `${id}: ${reason}`,
    });
  }
  return out;
}

/** `<metric> <value> [<low>, <high>] on <rows>`, naming a sample when the rows were sampled. */
function valueText(metric: string, v: EstimatedValue, labelled: number, sample: number | undefined): string {
  const rows =
    sample === undefined
      ? `${labelled} labelled rows`
      : `a seeded sample of ${sample} of ${labelled} labelled rows`;
  return `${metric} ${signalNumber(v.value!)}${v.ci ? ` [${signalNumber(v.ci[0])}, ${signalNumber(v.ci[1])}]` : ""} on ${rows}`;
}

/**
 * The realised metrics of the whole logged period: of one uniform sample of at most
 * {@link LABELLED_CAPACITY} of every window's labelled rows (`mergedSampleRows`, as shards merge),
 * so all of them while they fit. Null without labelled rows. A binary classifier's whole period is
 * drift-check's `performance.realised` when that was offered the same labelled rows at the same
 * threshold (the same rows while they fit, else a uniform sample of the same size): it is shown,
 * not judged, so it is not bootstrapped a second time.
 */
export function periodOf(
  states: readonly PredictionWindowState[],
  settings: PredictionSettings,
): PredictionPeriod | null {
  const parts = states.flatMap((w) => (w.labelled && w.labelled.actual.length > 0 ? [w.labelled] : []));
  if (parts.length === 0) return null;
  const seen = parts.reduce((sum, l) => sum + l.seen, 0);
  const perf = settings.performance;
  if (
    (settings.task ?? "binary") === "binary" &&
    perf &&
    perf.labelled === seen &&
    perf.threshold === settings.threshold
  )
    return {
      labelled: seen,
      realised: perf.realised,
      ...(perf.realisedSample < seen ? { realisedSample: perf.realisedSample } : {}),
    };
  // Every window's rows while they fit (what `mergedSampleRows` keeps then), copied without index lists.
  const kept =
    seen <= LABELLED_CAPACITY
      ? null
      : mergedSampleRows(
          parts.map((l) => ({ seen: l.seen, kept: l.actual.length })),
          LABELLED_CAPACITY,
          "period",
        );
  const predicted: (string | number)[] = [];
  const actual: (string | number)[] = [];
  parts.forEach((l, i) => {
    const rows = kept?.[i];
    const count = rows ? rows.length : l.actual.length;
    for (let k = 0; k < count; k++) {
      const j = rows ? rows[k]! : k;
      predicted.push(l.predicted[j]!);
      actual.push(l.actual[j]!);
    }
  });
  return {
    labelled: seen,
    realised: realisedTaskMetrics(settings.task ?? "binary", predicted, actual, {
      threshold: settings.threshold,
    }),
    ...(actual.length < seen ? { realisedSample: actual.length } : {}),
  };
}
