import type { MetricResult } from "../results/evaluation.js";

/**
 * A metric value as the report shows it: 3 decimals below 100 (metrics in [0, 1] differ in the
 * third), 1 decimal above (MAE or RMSE in currency units), a dash when undefined.
 *
 * @example
 * formatNumber(0.81234); // "0.812"
 * formatNumber(1234.567); // "1234.6"
 * formatNumber(null); // "—"
 */
export function formatNumber(value: number | null | undefined, signed = false): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const text = Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(3);
  // "-0.000" would suggest a direction the rounding has erased.
  const clean = /^-0\.?0*$/.test(text) ? text.slice(1) : text;
  const minus = clean.replace(/^-/, "−");
  const zero = /^0\.?0*$/.test(clean);
  return signed && !zero && !clean.startsWith("-") ? `+${minus}` : minus;
}

/**
 * A metric with its interval, e.g. for a table cell; the interval is left out when there is none.
 *
 * @example
 * formatWithInterval({ value: 0.812, ci: [0.79, 0.83] }); // "0.812 [0.790, 0.830]"
 * formatWithInterval({ value: -0.02, ci: [-0.05, 0.01] }, true); // "−0.020 [−0.050, +0.010]"
 * formatWithInterval({ value: null, ci: null, reason: "one class only" }); // "—"
 */
export function formatWithInterval(metric: MetricResult | undefined, signed = false): string {
  if (!metric || metric.value === null) return "—";
  const value = formatNumber(metric.value, signed);
  if (!metric.ci) return value;
  return `${value} [${formatNumber(metric.ci[0], signed)}, ${formatNumber(metric.ci[1], signed)}]`;
}

/**
 * A slice key as one line of text (not yet escaped): `column=value`, crosses joined by ` · `.
 *
 * @example
 * sliceText({ region: "MA", plan: "postpaid" }); // "region=MA · plan=postpaid"
 */
export function sliceText(key: Record<string, string>): string {
  return Object.entries(key)
    .map(([column, value]) => `${column}=${value}`)
    .join(" · ");
}
