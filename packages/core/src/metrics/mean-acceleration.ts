import type { MetricName } from "../manifest/metric-names.js";
import { type BinaryPassData, rowLosses } from "./binary-pass.js";

/**
 * Metrics that are means of a per-row value over some of a group's rows: log loss and Brier over
 * all, accuracy the share of correct rows, recall the share of positives predicted positive,
 * precision the share of predicted positives that are positive. Their order is that of the sums.
 */
const MEANS: readonly MetricName[] = ["log_loss", "brier", "accuracy", "recall", "precision"];
const M = MEANS.length;

/**
 * The BCa acceleration of a mean-type metric of a binary pass (`RowPass.acceleration`) in group g:
 * `Σu³ / (6 (Σu²)^{3/2})` with `u = w·(v − weighted mean)` over the rows that count (Efron &
 * Tibshirani 1993, eq. 14.15; with sample weights a replicate weighs a row w × its Poisson count,
 * so its first-order share of the deviation scales with w). `undefined` for other metrics, 0 for
 * a group without rows or without spread.
 *
 * The first call for a group walks the rows twice — each group's weights and values, then the
 * powers of each row's deviation from its group's mean — for every mean metric at once, and keeps
 * them. Only that group's rows are added (the intervals that need an acceleration are those of
 * small groups, whose rows are few); from the second group of one grouping on, every group of
 * that grouping is computed at once, so that many small slices cost two walks, not two each.
 * Each sum adds its group's rows in order either way.
 *
 * @example
 * const acceleration = meanAcceleration(prepareBinaryPass(rows, 0.5).data);
 * acceleration(0, "log_loss"); // 0.41: per-row log losses are right-skewed
 * acceleration(0, "roc_auc"); // undefined
 */
export function meanAcceleration(
  data: BinaryPassData,
): (g: number, metric: MetricName) => number | undefined {
  const { label, p, group, stride, threshold, groups } = data;
  const n = label.length;
  const sampleWeight = data.weight;
  // Each group's grouping (−1 for a group without rows); a group is in one grouping only, so the
  // walk stops once every group is found.
  let groupingOf: Int32Array | undefined;
  const groupingOfGroup = (g: number): number => {
    if (!groupingOf) {
      groupingOf = new Int32Array(groups).fill(-1);
      let found = 0;
      for (let k = 0; k < n && found < groups; k++) {
        for (let j = 0; j < stride; j++) {
          const h = group[k * stride + j]!;
          if (groupingOf[h] === -1) found++;
          groupingOf[h] = j;
        }
      }
    }
    return groupingOf[g]!;
  };
  // Group `only`'s accelerations (−1: every group's), by group and metric, for groups in grouping j.
  const accelerationsOf = (j: number, only: number): Float64Array => {
    // Built on the first call (a pass whose groups all take Gaussian intervals never asks).
    const { loss, brier } = rowLosses(data);
    const count = new Float64Array(groups * M);
    const mean = new Float64Array(groups * M);
    const u2 = new Float64Array(groups * M);
    const u3 = new Float64Array(groups * M);
    // Calls `visit` with each counted value of every mean metric of the rows of group `only` (all
    // groups when −1) in grouping j, in row order: `o` its group's slot for the metric.
    const walk = (visit: (o: number, v: number, w: number) => void) => {
      for (let k = 0; k < n; k++) {
        const h = group[k * stride + j]!;
        if (only >= 0 && h !== only) continue;
        const w = sampleWeight ? sampleWeight[k]! : 1;
        const o = h * M;
        const y = label[k]!;
        const predicted = p[k]! >= threshold ? 1 : 0;
        if (!Number.isNaN(loss[k]!)) visit(o, loss[k]!, w);
        if (!Number.isNaN(brier[k]!)) visit(o + 1, brier[k]!, w);
        visit(o + 2, predicted === y ? 1 : 0, w);
        if (y === 1) visit(o + 3, predicted, w);
        if (predicted === 1) visit(o + 4, y, w);
      }
    };
    // First walk: each group's weights and weighted values per metric.
    walk((o, v, w) => {
      count[o]! += w;
      mean[o]! += w * v;
    });
    // The weighted means (sum / count), once per group rather than once per row.
    for (let o = 0; o < mean.length; o++) mean[o] = mean[o]! / count[o]!;
    // Second walk: the powers of each counted row's weighted deviation from its group's mean.
    walk((o, v, w) => {
      const u = w * (v - mean[o]!);
      u2[o]! += u * u;
      u3[o]! += u * u * u;
    });
    return u3.map((v, o) => (u2[o]! > 0 ? v / (6 * u2[o]! ** 1.5) : 0));
  };
  const byGrouping = new Map<number, Float64Array>();
  const byGroup = new Map<number, Float64Array>();
  const groupingsAsked = new Set<number>();
  return (g, metric) => {
    const m = MEANS.indexOf(metric);
    if (m < 0) return undefined;
    const j = groupingOfGroup(g);
    if (j < 0) return 0;
    let a = byGrouping.get(j) ?? byGroup.get(g);
    if (!a && groupingsAsked.has(j)) {
      a = accelerationsOf(j, -1);
      byGrouping.set(j, a);
    } else if (!a) {
      groupingsAsked.add(j);
      a = accelerationsOf(j, g);
      byGroup.set(g, a);
    }
    return a[g * M + m];
  };
}
