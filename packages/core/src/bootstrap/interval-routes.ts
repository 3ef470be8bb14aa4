import type { MetricName } from "../manifest/metric-names.js";
import {
  COST_INFLUENCE_METRICS,
  GAUSSIAN_MIN_CLASS_COUNT,
  GAUSSIAN_MIN_COUNT,
  INFLUENCE_METRICS,
} from "./influence-moments.js";

/**
 * A group's four counts in a model's count array (`counts[g * 4 + c]`): positives, negatives, and
 * the model's predicted positives and predicted negatives at the threshold.
 */
const POS = 0;
const NEG = 1;
const PP = 2;

/**
 * Per metric with an influence function, the count its Gaussian interval needs at least
 * `GAUSSIAN_MIN_COUNT` of (the smallest of several): what the metric averages over. AUC and AP
 * average over pairs and ranks of positives and negatives, log loss, Brier and ECE over rows whose
 * loss depends on the class (both classes), accuracy over every row, recall over the positives,
 * precision over the model's predicted positives, F1 = 2TP/(P + PP) over both the positives and the
 * predicted positives (with few predicted positives TP is a small count whatever P is), the
 * false-positive rate over the negatives, selection rate and the cost metric `value` over every row.
 * The score metrics (AUC, AP, log loss, Brier, ECE) need `GAUSSIAN_MIN_CLASS_COUNT` (2,000) of each
 * class, the count metrics `GAUSSIAN_MIN_COUNT` (1,000): see {@link minimumCount}.
 */
const NEEDED: Readonly<Record<string, (c: ArrayLike<number>, o: number) => number>> = {
  roc_auc: (c, o) => Math.min(c[o + POS]!, c[o + NEG]!),
  average_precision: (c, o) => Math.min(c[o + POS]!, c[o + NEG]!),
  log_loss: (c, o) => Math.min(c[o + POS]!, c[o + NEG]!),
  brier: (c, o) => Math.min(c[o + POS]!, c[o + NEG]!),
  ece: (c, o) => Math.min(c[o + POS]!, c[o + NEG]!),
  accuracy: (c, o) => c[o + POS]! + c[o + NEG]!,
  recall: (c, o) => c[o + POS]!,
  precision: (c, o) => c[o + PP]!,
  f1: (c, o) => Math.min(c[o + POS]!, c[o + PP]!),
  fpr: (c, o) => c[o + NEG]!,
  selection_rate: (c, o) => c[o + POS]! + c[o + NEG]!,
  value: (c, o) => c[o + POS]! + c[o + NEG]!,
};

/** Metrics whose Gaussian interval needs `GAUSSIAN_MIN_CLASS_COUNT` of each class, not `GAUSSIAN_MIN_COUNT`. */
const SCORE_METRICS: ReadonlySet<string> = new Set([
  "roc_auc",
  "average_precision",
  "log_loss",
  "brier",
  "ece",
]);

/**
 * The count `NEEDED[name]` must reach for metric `name` to go Gaussian: `GAUSSIAN_MIN_CLASS_COUNT`
 * for AUC, AP, log loss, Brier and ECE (their Gaussian coverage at 1,000 was below target),
 * `GAUSSIAN_MIN_COUNT` for the others.
 */
export function minimumCount(name: string): number {
  return SCORE_METRICS.has(name) ? GAUSSIAN_MIN_CLASS_COUNT : GAUSSIAN_MIN_COUNT;
}

/** Which metric of which group takes which interval (see {@link intervalRoutes}). */
export interface IntervalRoutes {
  /** `gaussian[g * metrics.length + mi]` is 1 where metric mi of group g is Gaussian, else 0. */
  gaussian: Uint8Array;
  /** Active groups with at least one Gaussian metric, ascending. */
  gaussianGroups: number[];
  /** Metrics Gaussian in at least one group, in the order asked for. */
  gaussianMetrics: MetricName[];
  /** Active groups with at least one bootstrapped metric, ascending. */
  bootstrapGroups: number[];
  /** Metrics bootstrapped in at least one of `bootstrapGroups`, in the order asked for. */
  bootstrapMetrics: MetricName[];
}

/**
 * Decides per group and metric whether its interval is Gaussian (from the influence functions,
 * `influenceMoments`) or bootstrapped (the exact per-row Poisson bootstrap): Gaussian where the
 * metric has an influence function and every count it averages over reaches its minimum for every
 * model (`minimumCount`: 2,000 positives and negatives for AUC, AP, log loss, Brier and ECE, 1,000
 * of the counts the others average over; see `NEEDED`: AUC needs positives and negatives, precision each model's
 * predicted positives, …). So a slice with many rows and few predicted positives bootstraps its
 * precision and F1 only, and the bootstrap runs only over the groups and metrics that need it. The
 * switch reads counts only (rows, or Kish's effective counts under sample weights), never the
 * scores' range. `counts` is one array per model (`counts[m][g * 4 + c]`, see `POS`…); `null`
 * (a task or metric set without influence functions) bootstraps everything.
 *
 * @example
 * intervalRoutes(["roc_auc", "precision"], [0], [Float64Array.of(5000, 5000, 400, 9600)]);
 * // { gaussian: Uint8Array [1, 0], gaussianGroups: [0], gaussianMetrics: ["roc_auc"],
 * //   bootstrapGroups: [0], bootstrapMetrics: ["precision"] }
 */
export function intervalRoutes(
  metrics: readonly MetricName[],
  active: readonly number[],
  counts: readonly ArrayLike<number>[] | null,
): IntervalRoutes {
  const M = metrics.length;
  const groups = active.reduce((a, g) => Math.max(a, g + 1), 0);
  const gaussian = new Uint8Array(groups * M);
  if (counts)
    for (const g of active)
      metrics.forEach((name, mi) => {
        const known = INFLUENCE_METRICS.has(name) || COST_INFLUENCE_METRICS.has(name);
        const needed = known ? NEEDED[name] : undefined;
        const least = minimumCount(name);
        if (needed && counts.every((c) => needed(c, g * 4) >= least)) gaussian[g * M + mi] = 1;
      });
  const any = (g: number, route: 0 | 1) => metrics.some((_, mi) => gaussian[g * M + mi] === route);
  const gaussianGroups = active.filter((g) => any(g, 1));
  const bootstrapGroups = active.filter((g) => any(g, 0));
  return {
    gaussian,
    gaussianGroups,
    gaussianMetrics: metrics.filter((_, mi) => gaussianGroups.some((g) => gaussian[g * M + mi] === 1)),
    bootstrapGroups,
    bootstrapMetrics: metrics.filter((_, mi) => bootstrapGroups.some((g) => gaussian[g * M + mi] === 0)),
  };
}
