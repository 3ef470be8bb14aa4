import type { CalibrationCheck, EstimatedValue, PerformanceComparison } from "../drift/drift-result.js";
import {
  type ClassCalibration,
  classCalibrationCheck,
  MULTICLASS_ESTIMATED_METRICS,
  multiclassEstimate,
} from "../drift/multiclass-estimate.js";
import {
  LABELLED_CAPACITY,
  LOGGED_PREDICTION_METRICS,
  mergedSampleRows,
  realisedTaskMetrics,
} from "../drift/realised-metrics.js";
import { parseDuration } from "../manifest/duration.js";
import type { DriftLevel } from "../profile/compare-column.js";
import { kllRank } from "../profile/kll-sketch.js";
import type { Profile } from "../profile/profile.js";
import type { Check } from "../results/check.js";
import { wilsonInterval } from "../stats/wilson-interval.js";
import type { ClassProbabilityWindowState } from "./class-probability-tally.js";
import type { WindowBreach } from "./operational-health.js";
import type { PredictionWindowState } from "./prediction-tally.js";
import { signalNumber, signalPercent } from "./signal-format.js";

type MetricName = "roc_auc" | "accuracy" | "precision" | "recall" | "f1_macro" | "mae" | "rmse";
/** Higher-is-better metrics take `min` and `max-drop`; errors (`mae`, `rmse`) `max` and `max-rise`. */
interface MetricLimit {
  min?: number | undefined;
  "max-drop"?: number | undefined;
  max?: number | undefined;
  "max-rise"?: number | undefined;
}
type MetricLimits = Partial<Record<MetricName, MetricLimit | undefined>>;
const LOWER_IS_BETTER = new Set<string>(["mae", "rmse"]);

/** `monitoring.prediction` as parsed. */
export interface PredictionLimits {
  realised?: MetricLimits | undefined;
  estimated?: MetricLimits | undefined;
  "min-labelled": number;
  "low-confidence"?: { below: number; "max-share": number } | undefined;
  "class-mix"?: { "max-shift": number } | undefined;
  "min-rows": number;
}

/** What {@link finishPrediction} judges besides the per-window counts. */
export interface PredictionSettings {
  window: string;
  limits: PredictionLimits;
  /** The drift result's realised and estimated performance (binary classifiers), if any. */
  performance: PerformanceComparison | null;
  reference: Profile;
  /** The logged prediction field (`monitoring.score`), also the reference's column. */
  score: string;
  /** Binary classifiers' decision threshold. */
  threshold?: number | undefined;
  /** Multiclass and regression: realised metrics are per window, of the tally's labelled rows. */
  task?: "binary" | "multiclass" | "regression" | undefined;
  /** The released evaluation's overall metrics, for `max-drop`; absent when the reference is not a release. */
  released?: { source: string; metrics: Record<string, number> } | undefined;
  /**
   * Multiclass with `monitoring.probabilities`: each window's class probability counts, the
   * reference's class calibration, and the seed of the estimate's draws (the model name).
   */
  estimate?:
    | { windows: ClassProbabilityWindowState[]; calibration: ClassCalibration; seed: string }
    | undefined;
  /** A segment's prediction health (`monitoring.slices`): label-free estimates are the whole population's only. */
  segment?: boolean | undefined;
}

/** One window's prediction health. */
export interface PredictionWindow {
  start: string;
  end: string;
  scored: number;
  lowConfidence: { share: number; ci: [number, number] } | null;
  /** Predicted class → share of the window's predictions. */
  classShares: Record<string, number>;
  /** Total variation distance of `classShares` from the reference's mix. */
  classShift: number | null;
  /** Multiclass and regression with an outcome field: rows whose outcome has arrived. */
  labelled?: number;
  /** Their realised metrics ({@link realisedTaskMetrics}), each with its bootstrap interval. */
  realised?: Record<string, EstimatedValue>;
  /** Multiclass with logged class probabilities: the label-free estimate (CBPE) of the window. */
  estimated?: Record<string, EstimatedValue>;
  /** The rows the estimate is of: those with every class's probability (may differ from `scored`). */
  estimatedRows?: number;
  /** Set when the realised metrics are on a seeded uniform sample of the labelled rows: its size. */
  realisedSample?: number;
}

/** The whole logged period's realised metrics: shown beside the per-window limits, not judged. */
export interface PredictionPeriod {
  labelled: number;
  realised: Record<string, EstimatedValue>;
  /** Set when the metrics are on a seeded uniform sample of the labelled rows: its size. */
  realisedSample?: number;
}

/** `drift.json`'s `prediction`: prediction health held to `monitoring.prediction`. */
export interface PredictionAlerts {
  /** The reference's predicted-class mix and how it was read (`exact`, `sketch`), or null. */
  referenceMix: { shares: Record<string, number>; from: "values" | "sketch" | "counts" } | null;
  windows: PredictionWindow[];
  /** With an outcome field: the realised metrics over every window's labelled rows. */
  period?: PredictionPeriod;
  checks: Check[];
  /** Windows that breached a per-window limit (low-confidence, class mix). */
  breaches: WindowBreach[];
  /** Multiclass estimate: how the reference checked the class probabilities' calibration. */
  calibration?: CalibrationCheck;
  level: DriftLevel;
}

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
  ];
  const big = windows.filter((w) => w.scored >= limits["min-rows"]);
  const low = limits["low-confidence"];
  if (low) {
    const measured = big.filter((w) => w.lowConfidence !== null);
    checks.push(
      windowCheck(breaches, "low-confidence", low["max-share"], measured, (w) => w.lowConfidence!.share, {
        breach: (w) => w.lowConfidence!.ci[0] > low["max-share"],
        describe: (w) =>
          `${signalPercent(w.lowConfidence!.share)} of ${w.scored} scores below confidence ${low.below} (95% CI ${signalPercent(w.lowConfidence!.ci[0])}–${signalPercent(w.lowConfidence!.ci[1])})`,
        unavailable: settings.threshold === undefined ? "needs a binary classifier's scores" : null,
      }),
    );
  }
  const mix = limits["class-mix"];
  if (mix) {
    const measured = big.filter((w) => w.classShift !== null);
    checks.push(
      windowCheck(breaches, "class-mix", mix["max-shift"], measured, (w) => w.classShift!, {
        breach: (w) => w.classShift! > mix["max-shift"],
        describe: (w) =>
          `predicted-class shift ${signalNumber(w.classShift!)} (${sharesText(w.classShares)} vs reference ${sharesText(referenceMix!.shares)})`,
        unavailable: referenceMix ? null : `the reference has no predicted-class column "${settings.score}"`,
      }),
    );
  }
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

function metricChecks(
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

/** Check `id`'s limits as bounds on the metric's value, and the limits that cannot be judged (no release). */
function boundsOf(
  id: string,
  metric: MetricName,
  limit: MetricLimit,
  settings: PredictionSettings,
): {
  bounds: { name: string; value: number }[];
  skips: string[];
  limitValue: number | null;
  /** The check skipped, saying why. */
  skip: (why: string) => Check;
} {
  const lower = LOWER_IS_BETTER.has(metric);
  const bounds: { name: string; value: number }[] = [];
  const floor = lower ? limit.max : limit.min;
  if (floor !== undefined)
    bounds.push({ name: `the ${lower ? "maximum" : "minimum"} ${signalNumber(floor)}`, value: floor });
  const released = settings.released?.metrics[metric];
  const skips: string[] = [];
  const key = lower ? "max-rise" : "max-drop";
  const change = limit[key];
  if (change !== undefined) {
    if (released === undefined)
      skips.push(
        `${key} needs the released evaluation's ${metric}, and ${settings.released ? `${settings.released.source} has none` : "the reference is not a release"}`,
      );
    else
      bounds.push({
        name: `the released ${signalNumber(released)} ${lower ? "+" : "−"} ${signalNumber(change)}`,
        value: lower ? released + change : released - change,
      });
  }
  const values = bounds.map((b) => b.value);
  const limitValue = values.length === 0 ? null : lower ? Math.min(...values) : Math.max(...values);
  const skip = (why: string): Check => ({
    id,
    status: "skip",
    value: null,
    limit: limitValue,
    reason: `${id}: ${why}`,
  });
  return { bounds, skips, limitValue, skip };
}

/**
 * Realised limits, per window, for every task: each window with at least `min-labelled` labelled
 * rows is judged on its metric's bootstrap interval (a higher-is-better metric breaches when the
 * whole interval is below a bound, an error when it is wholly above); windows with fewer are never
 * judged, so labels for a tiny share of rows do not alert. The whole period's value is shown
 * beside the worst window's, not judged.
 */
function windowMetricChecks(
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
function periodOf(
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
  const kept = mergedSampleRows(
    parts.map((l) => ({ seen: l.seen, kept: l.actual.length })),
    LABELLED_CAPACITY,
    "period",
  );
  const predicted = parts.flatMap((l, i) => kept[i]!.map((j) => l.predicted[j]!));
  const actual = parts.flatMap((l, i) => kept[i]!.map((j) => l.actual[j]!));
  return {
    labelled: seen,
    realised: realisedTaskMetrics(settings.task ?? "binary", predicted, actual, {
      threshold: settings.threshold,
    }),
    ...(actual.length < seen ? { realisedSample: actual.length } : {}),
  };
}

/**
 * The reference's predicted-class shares: of a logged class column (a multiclass model's numeric
 * classes from a reference read from data, by their text as the tally counts them), or of binary
 * scores at the threshold.
 */
function mixOf(
  reference: Profile,
  score: string,
  threshold: number | undefined,
  task: PredictionSettings["task"],
): PredictionAlerts["referenceMix"] {
  const column = reference.columns[score];
  if (!column || column.count === 0) return null;
  if (column.kind === "category" || column.kind === "boolean") {
    const shares: Record<string, number> = {};
    for (const [c, n] of Object.entries(column.counts)) shares[c] = n / column.count;
    return { shares, from: "counts" };
  }
  if (column.kind === "number" && task === "multiclass") {
    if (!column.values || column.values.length === 0) return null;
    const counts: Record<string, number> = {};
    for (const v of column.values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
    const n = column.values.length;
    return { shares: Object.fromEntries(Object.entries(counts).map(([c, k]) => [c, k / n])), from: "values" };
  }
  if (column.kind !== "number" || threshold === undefined) return null;
  let below: number;
  let from: "values" | "sketch";
  if (column.values) {
    below = 0;
    for (const v of column.values) if (v < threshold) below++;
    from = "values";
  } else {
    // The sketch counts values ≤ x: the largest double below the threshold stands for "< threshold".
    below = kllRank(column.sketch, threshold - Number.EPSILON * Math.max(1, Math.abs(threshold)));
    from = "sketch";
  }
  const n = column.values ? column.values.length : column.sketch.n;
  return { shares: { negative: below / n, positive: 1 - below / n }, from };
}

/** Half the summed absolute differences of two share maps (classes missing from one count as 0). */
function totalVariation(a: Record<string, number>, b: Record<string, number>): number {
  let sum = 0;
  for (const c of new Set([...Object.keys(a), ...Object.keys(b)])) sum += Math.abs((a[c] ?? 0) - (b[c] ?? 0));
  return sum / 2;
}

function windowCheck(
  breaches: WindowBreach[],
  id: string,
  limit: number,
  windows: PredictionWindow[],
  value: (w: PredictionWindow) => number,
  rule: {
    breach: (w: PredictionWindow) => boolean;
    describe: (w: PredictionWindow) => string;
    unavailable: string | null;
  },
): Check {
  if (rule.unavailable)
    return { id, status: "skip", value: null, limit, reason: `${id}: unavailable (${rule.unavailable})` };
  if (windows.length === 0)
    return {
      id,
      status: "skip",
      value: null,
      limit,
      reason: `${id}: no window with enough predictions to judge`,
    };
  const breaching = windows.filter(rule.breach);
  for (const w of breaching) breaches.push({ start: w.start, check: id });
  const pool = breaching.length > 0 ? breaching : windows;
  const worst = pool.reduce((a, b) => (value(b) > value(a) ? b : a));
  const reason =
    breaching.length > 0
      ? `${id}: ${rule.describe(worst)} in the window from ${worst.start}, limit ${signalNumber(limit)} (${breaching.length} of ${windows.length} windows breach; first from ${breaching[0]!.start})`
      : `${id}: worst ${rule.describe(worst)} in the window from ${worst.start}, within ${signalNumber(limit)}`;
  return { id, status: breaching.length > 0 ? "fail" : "pass", value: value(worst), limit, reason };
}

function sharesText(shares: Record<string, number>): string {
  return Object.entries(shares)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([c, s]) => `${c} ${signalPercent(s)}`)
    .join(", ");
}

/**
 * The prediction windows and, with a multiclass estimate, an empty one (no logged class counted)
 * for each window only the class probabilities were counted in, so its estimate is shown and judged.
 */
function withEstimateWindows(
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
function estimateOf(
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
function estimatedWindowChecks(
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
