import { parseDuration } from "../manifest/duration.js";
import type { DriftLevel } from "../profile/compare-column.js";
import type { Check } from "../results/check.js";
import { normalQuantile } from "../stats/normal.js";
import { wilsonInterval } from "../stats/wilson-interval.js";
import type { KpiSpec, KpiWindowState } from "./kpi-tally.js";
import type { WindowBreach } from "./operational-health.js";
import { signalNumber } from "./signal-format.js";

/** A KPI with its limits, as `monitoring.kpis` gives it. */
export interface KpiLimits extends KpiSpec {
  min?: number | undefined;
  max?: number | undefined;
  "min-rows": number;
}

/** One KPI in one window. */
export interface KpiWindow {
  start: string;
  end: string;
  /** Values of the field in the window; 0 when the window has none (the field missing there). */
  n: number;
  value: number | null;
  /** 95% interval: Wilson for a rate, normal for a mean; none for a sum. */
  ci: [number, number] | null;
}

/** One KPI over the period. */
export interface KpiSeries {
  name: string;
  field: string;
  aggregate: KpiSpec["aggregate"];
  /** Why the KPI could not be computed at all (its field in no window), else `null`. */
  unavailable: string | null;
  windows: KpiWindow[];
}

/** `drift.json`'s `kpis`: business KPIs per window, held to their limits. */
export interface KpiHealth {
  kpis: KpiSeries[];
  checks: Check[];
  /** Windows in which a KPI breached its limits. */
  breaches: WindowBreach[];
  level: DriftLevel;
}

/**
 * Business KPIs per window from their sums: a rate with its Wilson interval, a mean with its
 * normal interval (`mean ± z·s/√n`, sample standard deviation), a sum as it is. A KPI alerts in a
 * window when its whole interval (a sum: its value) is below `min` or above `max`; windows with
 * fewer than `min-rows` values never alert, and a window without the field says so (`n = 0`,
 * value `null`) rather than reading as zero. A KPI whose field is in no window is unavailable, and
 * its check is skipped.
 *
 * @example
 * finishKpis(tally.state(), { window: "1d", kpis: [{ name: "retained", field: "retained", aggregate: "rate", min: 0.8, "min-rows": 30 }] }).checks[0];
 * // { id: "kpi-retained", status: "fail", value: 0.71, limit: 0.8, reason: "kpi-retained: rate 0.71 [0.67, 0.75] of 480 rows in the window from …, whole interval below the minimum 0.8 (…)" }
 */
export function finishKpis(
  states: readonly KpiWindowState[],
  settings: { window: string; kpis: readonly KpiLimits[] },
): KpiHealth {
  const width = parseDuration(settings.window);
  const z = normalQuantile(0.975);
  const series: KpiSeries[] = settings.kpis.map((kpi) => {
    const windows = states.map((w): KpiWindow => {
      const s = w.kpis[kpi.name] ?? { n: 0, sum: 0, sumSquares: 0 };
      const base = {
        start: new Date(w.start).toISOString(),
        end: new Date(w.start + width).toISOString(),
        n: s.n,
      };
      if (s.n === 0) return { ...base, value: null, ci: null };
      if (kpi.aggregate === "sum") return { ...base, value: s.sum, ci: null };
      if (kpi.aggregate === "rate") return { ...base, value: s.sum / s.n, ci: wilsonInterval(s.sum, s.n) };
      const mean = s.sum / s.n;
      const variance = s.n > 1 ? Math.max(0, (s.sumSquares - s.n * mean * mean) / (s.n - 1)) : null;
      const half = variance === null ? null : (z * Math.sqrt(variance)) / Math.sqrt(s.n);
      return { ...base, value: mean, ci: half === null ? null : [mean - half, mean + half] };
    });
    const seen = windows.some((w) => w.n > 0);
    return {
      name: kpi.name,
      field: kpi.field,
      aggregate: kpi.aggregate,
      unavailable: seen ? null : `the logs have no values of "${kpi.field}"`,
      windows,
    };
  });
  const breaches: WindowBreach[] = [];
  const checks = settings.kpis.flatMap((kpi, k) =>
    kpi.min === undefined && kpi.max === undefined ? [] : [kpiCheck(kpi, series[k]!, breaches)],
  );
  const judged = checks.filter((c) => c.status !== "skip");
  const level: DriftLevel =
    judged.length === 0 ? "no data" : judged.some((c) => c.status === "fail") ? "alert" : "ok";
  return { kpis: series, checks, breaches, level };
}

function kpiCheck(kpi: KpiLimits, series: KpiSeries, breaches: WindowBreach[]): Check {
  const id = `kpi-${kpi.name}`;
  const limit = kpi.min ?? kpi.max ?? null;
  if (series.unavailable)
    return { id, status: "skip", value: null, limit, reason: `${id}: unavailable (${series.unavailable})` };
  const judged = series.windows.filter((w) => w.value !== null && w.n >= kpi["min-rows"]);
  const without = series.windows.filter((w) => w.n === 0).length;
  const missing = without > 0 ? `; ${without} window(s) without values of "${kpi.field}"` : "";
  if (judged.length === 0)
    return {
      id,
      status: "skip",
      value: null,
      limit,
      reason: `${id}: no window with ${kpi["min-rows"]} values or more${missing}`,
    };
  const low = (w: KpiWindow) => (kpi.aggregate === "sum" || !w.ci ? w.value! : w.ci[1]);
  const high = (w: KpiWindow) => (kpi.aggregate === "sum" || !w.ci ? w.value! : w.ci[0]);
  const below = (w: KpiWindow) => kpi.min !== undefined && low(w) < kpi.min;
  const above = (w: KpiWindow) => kpi.max !== undefined && high(w) > kpi.max;
  const breaching = judged.filter((w) => below(w) || above(w));
  for (const w of breaching) breaches.push({ start: w.start, check: id });
  const shown = (w: KpiWindow) =>
    `${kpi.aggregate} ${signalNumber(w.value!)}${w.ci ? ` [${signalNumber(w.ci[0])}, ${signalNumber(w.ci[1])}]` : ""} of ${w.n} values in the window from ${w.start}`;
  const bounds = [
    ...(kpi.min === undefined ? [] : [`the minimum ${signalNumber(kpi.min)}`]),
    ...(kpi.max === undefined ? [] : [`the maximum ${signalNumber(kpi.max)}`]),
  ].join(" and ");
  if (breaching.length === 0) {
    const last = judged.at(-1)!;
    return {
      id,
      status: "pass",
      value: last.value,
      limit,
      reason: `${id}: latest ${shown(last)}, within ${bounds}${missing}`,
    };
  }
  const worst = breaching.at(-1)!;
  const side = below(worst)
    ? `below the minimum ${signalNumber(kpi.min!)}`
    : `above the maximum ${signalNumber(kpi.max!)}`;
  const what = kpi.aggregate === "sum" || !worst.ci ? "" : "whole interval ";
  return {
    id,
    status: "fail",
    value: worst.value,
    limit: below(worst) ? kpi.min! : kpi.max!,
    reason: `${id}: ${shown(worst)}, ${what}${side} (${breaching.length} of ${judged.length} windows breach; first from ${breaching[0]!.start}${missing})`,
  };
}
