import type { MetricName } from "../manifest/metric-names.js";
import { METRICS } from "../metrics/registry.js";
import type { BaselineResult, MetricResult } from "../results/evaluation.js";

/** One significant regression: where, which metric, and the delta with its simultaneous interval. */
export interface Regression {
  /** `null` for the overall group, otherwise the slice key. */
  slice: Record<string, string> | null;
  metric: MetricName;
  delta: number;
  ci: [number, number];
}

/**
 * Whether a candidate − baseline delta is a significant regression: its simultaneous interval
 * (`ciAdjusted`, controlled across every metric × group of the report) excludes 0 on the side
 * where the metric gets worse (below 0 for ROC AUC, above 0 for log loss). Without one — no
 * replicates, or a metric that is never judged (ECE) — nothing is significant, however large the
 * point change; the per-comparison `ci` alone never decides.
 *
 * @example
 * isSignificantRegression("roc_auc", { value: -0.05, ci: [-0.07, -0.03], ciAdjusted: [-0.08, -0.02] }); // true
 * isSignificantRegression("log_loss", { value: -0.05, ci: [-0.07, -0.03], ciAdjusted: [-0.08, -0.02] }); // false: lower is better
 * isSignificantRegression("roc_auc", { value: -0.05, ci: [-0.08, -0.02], ciAdjusted: [-0.09, 0.01] }); // false: 0 is inside
 */
export function isSignificantRegression(metric: MetricName, delta: MetricResult | undefined): boolean {
  const ci = delta?.ciAdjusted;
  if (!delta || delta.value === null || !ci) return false;
  return METRICS[metric].direction === "higher" ? ci[1] < 0 : ci[0] > 0;
}

/**
 * Every significant regression of a baseline comparison, overall first, then slices in result
 * order; suppressed slices have no deltas and never count.
 *
 * @example
 * findRegressions(result.baseline, ["roc_auc"]);
 * // [{ slice: { region: "MA" }, metric: "roc_auc", delta: -0.078, ci: [-0.12, -0.04] }]
 */
export function findRegressions(
  baseline: BaselineResult | null | undefined,
  metrics: readonly MetricName[],
): Regression[] {
  if (!baseline) return [];
  const groups = [
    { slice: null, delta: baseline.overall.delta },
    ...baseline.slices.map((s) => ({ slice: s.key, delta: s.delta })),
  ];
  const found: Regression[] = [];
  for (const group of groups) {
    for (const metric of metrics) {
      const delta = group.delta[metric];
      if (isSignificantRegression(metric, delta)) {
        found.push({ slice: group.slice, metric, delta: delta!.value!, ci: delta!.ciAdjusted! });
      }
    }
  }
  return found;
}
