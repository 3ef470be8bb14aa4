import { UserError } from "../errors/user-error.js";
import { parseDuration } from "../manifest/duration.js";
import type { DriftLevel } from "../profile/compare-column.js";
import type { Check } from "../results/check.js";
import type { LatencyPercentiles } from "../shadow/shadow-result.js";
import { quantileSorted } from "../stats/quantile.js";
import { wilsonInterval } from "../stats/wilson-interval.js";
import { concatFloat64 } from "../table/concat-float64.js";
import type { OperationsState } from "./operations-tally.js";
import { signalNumber, signalPercent } from "./signal-format.js";

/** The limits of `monitoring.operations` (latencies in ms). */
export interface OperationsLimits {
  "latency-p50"?: number | undefined;
  "latency-p95"?: number | undefined;
  "latency-p99"?: number | undefined;
  "error-rate"?: number | undefined;
  volume?: { "min-ratio"?: number | undefined; "max-ratio"?: number | undefined } | undefined;
  "min-rows": number;
}

/** What {@link finishOperations} needs besides the counts. */
export interface OperationsSettings {
  window: string;
  fields: { latency?: string | undefined; error?: string | undefined };
  /** `monitoring.latency-unit`; unset, a median below 1 is refused as probably seconds. */
  unit?: "ms" | "s" | undefined;
  limits?: OperationsLimits | undefined;
  /** The manifest, named in errors. */
  file: string;
}

/** One window's operational health. */
export interface OperationsWindow {
  start: string;
  end: string;
  rows: number;
  latency: LatencyPercentiles | null;
  /** Failed share of the rows with a flag, with its 95% Wilson interval. */
  errors: { n: number; rate: number; ci: [number, number] } | null;
  /** Rows against the typical (median) window's; `null` with fewer than 3 windows. */
  volumeRatio: number | null;
}

/**
 * `drift.json`'s `operations`: operational health per window, from the same logs as drift —
 * latency percentiles, error rate and volume — held to `monitoring.operations`.
 */
export interface OperationalHealth {
  /** Each signal's availability: `null` when measured, else why not (no field configured or logged). */
  unavailable: { latency: string | null; errors: string | null; volume: string | null };
  /** Median rows per window, windows without logs in between counting as 0. */
  typicalVolume: number | null;
  latency: LatencyPercentiles | null;
  windows: OperationsWindow[];
  checks: Check[];
  /** Every window that breached a limit, by check: what the report's timeline draws. */
  breaches: WindowBreach[];
  level: DriftLevel;
}

/** One window in which one check's limit was breached. */
export interface WindowBreach {
  /** ISO start of the window. */
  start: string;
  /** The check (`latency-p99`, `kpi-retained`, ...). */
  check: string;
}

const SIGNALS = ["latency-p50", "latency-p95", "latency-p99"] as const;
/** Windows needed before a typical volume is defined. */
const MIN_VOLUME_WINDOWS = 3;

/**
 * Operational health from the per-window counts: percentiles of the latency (numpy's linear
 * quantiles, converted to ms), the error rate with its Wilson interval, and each window's rows
 * against the median window's (windows without logs between the first and the last count as 0
 * rows: a missing day is a drop). With limits, a window breaching one alerts: a latency
 * percentile above its limit, an error rate whose whole interval lies above its limit (so a
 * handful of rows never alerts on noise), rows below `min-ratio` or above `max-ratio` times the
 * typical window's. Windows with fewer than `min-rows` rows never alert on latency or errors. A
 * signal whose field is not configured or not in the logs is unavailable, and says why; nothing
 * fails for it.
 *
 * @example
 * finishOperations(state, { window: "6h", fields: { latency: "latency_ms" }, unit: "ms", limits: { "latency-p99": 250, "min-rows": 30 }, file });
 * // { latency: { n: 3000, p50Ms: 41, p95Ms: 88, p99Ms: 131 }, checks: [{ id: "latency-p99", status: "pass", ... }], level: "ok", ... }
 */
export function finishOperations(state: OperationsState, settings: OperationsSettings): OperationalHealth {
  const width = parseDuration(settings.window);
  const limits = settings.limits;
  const minRows = limits?.["min-rows"] ?? 30;
  const all = concatFloat64(state.windows.map((w) => w.latencies)).sort();
  const scale = latencyScale(all, settings);
  const percentiles = (sorted: Float64Array): LatencyPercentiles | null =>
    sorted.length === 0
      ? null
      : {
          n: sorted.length,
          p50Ms: quantileSorted(sorted, 0.5)! * scale,
          p95Ms: quantileSorted(sorted, 0.95)! * scale,
          p99Ms: quantileSorted(sorted, 0.99)! * scale,
        };
  const filled = withEmptyWindows(state.windows, width);
  const typical = filled.length >= MIN_VOLUME_WINDOWS ? median(filled.map((w) => w.rows)) : null;
  const windows: OperationsWindow[] = filled.map((w) => ({
    start: new Date(w.start).toISOString(),
    end: new Date(w.start + width).toISOString(),
    rows: w.rows,
    latency: percentiles(w.latencies),
    errors:
      w.errorRows > 0
        ? { n: w.errorRows, rate: w.errors / w.errorRows, ci: wilsonInterval(w.errors, w.errorRows)! }
        : null,
    volumeRatio: typical !== null && typical > 0 ? w.rows / typical : null,
  }));
  const unavailable = {
    latency: missing("latency", settings.fields.latency, state.seen.latency),
    errors: missing("error", settings.fields.error, state.seen.error),
    volume:
      state.windows.length === 0
        ? "no rows"
        : typical === null
          ? `${filled.length} window(s): a typical volume needs at least ${MIN_VOLUME_WINDOWS}`
          : null,
  };
  const checks: Check[] = [];
  const breaches: WindowBreach[] = [];
  const big = (w: OperationsWindow) => w.rows >= minRows;
  for (const id of SIGNALS) {
    const limit = limits?.[id];
    if (limit === undefined) continue;
    const key = id.slice("latency-".length) as "p50" | "p95" | "p99";
    const ms = `${key}Ms` as const;
    checks.push(
      windowCheck(
        breaches,
        id,
        limit,
        unavailable.latency,
        windows.filter(big),
        (w) => w.latency?.[ms] ?? null,
        {
          breach: (v) => v > limit,
          describe: (v) => `latency ${key} ${signalNumber(v)} ms`,
          bound: `at most ${signalNumber(limit)} ms`,
        },
      ),
    );
  }
  const errorLimit = limits?.["error-rate"];
  if (errorLimit !== undefined) {
    checks.push(
      windowCheck(
        breaches,
        "error-rate",
        errorLimit,
        unavailable.errors,
        windows.filter(big),
        (w) => w.errors?.rate ?? null,
        {
          breach: (_, w) => (w.errors?.ci[0] ?? 0) > errorLimit,
          describe: (v, w) =>
            `error rate ${signalPercent(v)} (95% CI ${signalPercent(w.errors!.ci[0])}–${signalPercent(w.errors!.ci[1])}, ${w.errors!.n} rows)`,
          bound: `at most ${signalPercent(errorLimit)}`,
        },
      ),
    );
  }
  const low = limits?.volume?.["min-ratio"];
  if (low !== undefined) {
    checks.push(
      windowCheck(breaches, "volume-drop", low, unavailable.volume, windows, (w) => w.volumeRatio, {
        breach: (v) => v < low,
        describe: (v, w) => `${w.rows} rows, ${signalNumber(v)}× the typical ${signalNumber(typical ?? 0)}`,
        bound: `at least ${signalNumber(low)}×`,
        worst: "min",
      }),
    );
  }
  const high = limits?.volume?.["max-ratio"];
  if (high !== undefined) {
    checks.push(
      windowCheck(breaches, "volume-spike", high, unavailable.volume, windows, (w) => w.volumeRatio, {
        breach: (v) => v > high,
        describe: (v, w) => `${w.rows} rows, ${signalNumber(v)}× the typical ${signalNumber(typical ?? 0)}`,
        bound: `at most ${signalNumber(high)}×`,
      }),
    );
  }
  const measured = checks.filter((c) => c.status !== "skip");
  const level: DriftLevel =
    measured.length === 0 ? "no data" : measured.some((c) => c.status === "fail") ? "alert" : "ok";
  return { unavailable, typicalVolume: typical, latency: percentiles(all), windows, checks, breaches, level };
}

/** Milliseconds per logged unit; an undeclared unit whose median is below 1 is refused. */
function latencyScale(sorted: Float64Array, settings: OperationsSettings): number {
  if (settings.unit === "s") return 1000;
  if (settings.unit === "ms") return 1;
  const middle = quantileSorted(sorted, 0.5);
  if (middle !== null && middle > 0 && middle < 1) {
    throw new UserError(
      `the median latency in "${settings.fields.latency}" is ${signalNumber(middle)}: that looks like seconds, but latencies are read as milliseconds unless the unit is given`,
      {
        file: settings.file,
        field: "monitoring.latency-unit",
        fix: "set monitoring.latency-unit: s if the logged latencies are in seconds, or ms if they really are sub-millisecond",
      },
    );
  }
  return 1;
}

function missing(what: string, field: string | undefined, seen: boolean): string | null {
  if (field === undefined) return `no monitoring.${what} field configured`;
  return seen ? null : `the logs have no field "${field}"`;
}

/** Windows in time order with those missing between the first and last added as 0 rows. */
function withEmptyWindows(windows: OperationsState["windows"], width: number): OperationsState["windows"] {
  const out: OperationsState["windows"] = [];
  for (const w of windows) {
    const previous = out.at(-1);
    if (previous) {
      for (let start = previous.start + width; start < w.start; start += width)
        out.push({ start, rows: 0, latencies: new Float64Array(0), errorRows: 0, errors: 0 });
    }
    out.push(w);
  }
  return out;
}

function median(values: number[]): number {
  return quantileSorted(Float64Array.from(values).sort(), 0.5)!;
}

interface Rule {
  breach: (value: number, window: OperationsWindow) => boolean;
  describe: (value: number, window: OperationsWindow) => string;
  bound: string;
  /** Which value is the worst: the largest (default) or the smallest. */
  worst?: "max" | "min";
}

function windowCheck(
  breaches: WindowBreach[],
  id: string,
  limit: number,
  unavailable: string | null,
  windows: OperationsWindow[],
  value: (w: OperationsWindow) => number | null,
  rule: Rule,
): Check {
  if (unavailable !== null)
    return { id, status: "skip", value: null, limit, reason: `${id}: unavailable (${unavailable})` };
  const measured = windows.filter((w) => value(w) !== null);
  if (measured.length === 0)
    return { id, status: "skip", value: null, limit, reason: `${id}: no window with enough rows to measure` };
  const breaching = measured.filter((w) => rule.breach(value(w)!, w));
  for (const w of breaching) breaches.push({ start: w.start, check: id });
  const pick = breaching.length > 0 ? breaching : measured;
  const sign = rule.worst === "min" ? -1 : 1;
  const worst = pick.reduce((a, b) => (sign * value(b)! > sign * value(a)! ? b : a));
  const v = value(worst)!;
  const where = `the window from ${worst.start}`;
  const reason =
    breaching.length > 0
      ? `${id}: ${rule.describe(v, worst)} in ${where}, limit ${rule.bound} (${breaching.length} of ${measured.length} windows breach; first from ${breaching[0]!.start})`
      : `${id}: worst ${rule.describe(v, worst)} in ${where}, within ${rule.bound}`;
  return { id, status: breaching.length > 0 ? "fail" : "pass", value: v, limit, reason };
}
