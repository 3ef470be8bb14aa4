import type { PerformanceComparison } from "../drift/drift-result.js";
import { parseDuration } from "../manifest/duration.js";
import type { DriftLevel } from "../profile/compare-column.js";
import { kllRank } from "../profile/kll-sketch.js";
import type { Profile } from "../profile/profile.js";
import type { Check } from "../results/check.js";
import { wilsonInterval } from "../stats/wilson-interval.js";
import type { WindowBreach } from "./operational-health.js";
import type { PredictionWindowState } from "./prediction-tally.js";
import { signalNumber, signalPercent } from "./signal-format.js";

type MetricName = "roc_auc" | "accuracy" | "precision" | "recall";
type MetricLimits = Partial<
  Record<MetricName, { min?: number | undefined; "max-drop"?: number | undefined } | undefined>
>;

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
  /** The released evaluation's overall metrics, for `max-drop`; absent when the reference is not a release. */
  released?: { source: string; metrics: Record<string, number> } | undefined;
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
}

/** `drift.json`'s `prediction`: prediction health held to `monitoring.prediction`. */
export interface PredictionAlerts {
  /** The reference's predicted-class mix and how it was read (`exact`, `sketch`), or null. */
  referenceMix: { shares: Record<string, number>; from: "values" | "sketch" | "counts" } | null;
  windows: PredictionWindow[];
  checks: Check[];
  /** Windows that breached a per-window limit (low-confidence, class mix). */
  breaches: WindowBreach[];
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
  const referenceMix = mixOf(settings.reference, settings.score, settings.threshold);
  const windows: PredictionWindow[] = states.map((w) => {
    const shares: Record<string, number> = {};
    for (const [c, n] of Object.entries(w.classes)) shares[c] = n / w.scored;
    const lowConfidence =
      settings.threshold !== undefined && w.scored > 0
        ? { share: w.lowConfidence / w.scored, ci: wilsonInterval(w.lowConfidence, w.scored)! }
        : null;
    return {
      start: new Date(w.start).toISOString(),
      end: new Date(w.start + width).toISOString(),
      scored: w.scored,
      lowConfidence,
      classShares: shares,
      classShift: referenceMix && w.scored > 0 ? totalVariation(shares, referenceMix.shares) : null,
    };
  });
  const checks: Check[] = [
    ...metricChecks("realised", limits.realised, settings),
    ...metricChecks("estimated", limits.estimated, settings),
  ];
  const breaches: WindowBreach[] = [];
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
  return { referenceMix, windows, checks, breaches, level };
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
    const bounds: { name: string; value: number }[] = [];
    if (limit.min !== undefined)
      bounds.push({ name: `the minimum ${signalNumber(limit.min)}`, value: limit.min });
    const released = settings.released?.metrics[metric];
    const skips: string[] = [];
    if (limit["max-drop"] !== undefined) {
      if (released === undefined)
        skips.push(
          `max-drop needs the released evaluation's ${metric}, and ${settings.released ? `${settings.released.source} has none` : "the reference is not a release"}`,
        );
      else
        bounds.push({
          name: `the released ${signalNumber(released)} − ${signalNumber(limit["max-drop"])}`,
          value: released - limit["max-drop"],
        });
    }
    const limitValue = bounds.length > 0 ? Math.max(...bounds.map((b) => b.value)) : null;
    const skip = (why: string): Check => ({
      id,
      status: "skip",
      value: null,
      limit: limitValue,
      reason: `${id}: ${why}`,
    });
    if (!perf) {
      out.push(skip("no performance to judge (binary classifiers with a score field only)"));
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

/** The reference's predicted-class shares: of a logged class column, or of binary scores at the threshold. */
function mixOf(
  reference: Profile,
  score: string,
  threshold: number | undefined,
): PredictionAlerts["referenceMix"] {
  const column = reference.columns[score];
  if (!column || column.count === 0) return null;
  if (column.kind === "category" || column.kind === "boolean") {
    const shares: Record<string, number> = {};
    for (const [c, n] of Object.entries(column.counts)) shares[c] = n / column.count;
    return { shares, from: "counts" };
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
