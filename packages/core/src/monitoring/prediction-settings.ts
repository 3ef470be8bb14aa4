import type { ClassCalibration } from "../drift/class-calibration.js";
import type { PerformanceComparison } from "../drift/drift-result.js";
import type { Profile } from "../profile/profile.js";
import type { Check } from "../results/check.js";
import type { ClassProbabilityWindowState } from "./class-probability-tally.js";
import { signalNumber } from "./signal-format.js";

/** The metrics `monitoring.prediction` can hold realised and estimated limits on. */
export type MetricName = "roc_auc" | "accuracy" | "precision" | "recall" | "f1_macro" | "mae" | "rmse";
/** Higher-is-better metrics take `min` and `max-drop`; errors (`mae`, `rmse`) `max` and `max-rise`. */
export interface MetricLimit {
  min?: number | undefined;
  "max-drop"?: number | undefined;
  max?: number | undefined;
  "max-rise"?: number | undefined;
}
/** `realised` or `estimated`: each metric's limits. */
export type MetricLimits = Partial<Record<MetricName, MetricLimit | undefined>>;
/** Error metrics: a rise is worse, so their limits are maxima. */
export const LOWER_IS_BETTER = new Set<string>(["mae", "rmse"]);

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

/** Check `id`'s limits as bounds on the metric's value, and the limits that cannot be judged (no release). */
export function boundsOf(
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
