import { FLOAT64_EPS } from "../metrics/binary-pass.js";
import { ECE_BINS } from "../metrics/ece-bin.js";
import type { GroupIds } from "../slicing/group-ids.js";
import { SLOT, SLOTS } from "./influence-slots.js";

/** The rows and metrics {@link rowMoments} reads, the same for every chunk of groupings. */
export interface RowInfluenceRows {
  labels: ArrayLike<number>;
  /** Per model, by input row. */
  scores: readonly ArrayLike<number>[];
  weights: ArrayLike<number> | undefined;
  threshold: number;
  costs: { tp: number; fp: number; fn: number; tn: number };
  /** Each grouping's group by input row. */
  rowGroups: readonly GroupIds[];
  /** Per model and row (`m · rows + i`), the row's ECE bin. */
  bin: Uint8Array;
  groups: number;
  /** Each metric's slot (see `SLOT`), in the order of the moments' metrics. */
  slot: readonly number[];
  /** Where ROC AUC and average precision are among the metrics (−1 when absent): `rank` holds their φ. */
  iAuc: number;
  iAp: number;
}

/** Per group (per model and group where it depends on the model) what each φ divides by or reads. */
export interface GroupSums {
  count: Float64Array;
  positives: Float64Array;
  /** `predicted[m · groups + g]`. */
  predicted: Float64Array;
  /** `gaps[(m · groups + g) · ECE_BINS + b]`. */
  gaps: Float64Array;
  /** The variance of each gap, Σ (wᵢ (yᵢ − pᵢ))² (for ECE's bias), in the layout of `gaps`. */
  gapVariance: Float64Array;
  wanted: Uint8Array;
}

/**
 * Adds each row's influence on the metrics other than AUC and AP (see `influenceMoments` for every
 * φ) to the variances of its groups in the groupings `chunk`, and the paired changes' products
 * (AUC's and AP's taken from `rank`, `rankWalk`'s layout for the same chunk) to their covariance.
 * Rows in input order, so each group's sums see its rows in the same order whichever groupings
 * share a chunk; what depends on the row alone (its loss, Brier term, decision and cost) is
 * computed once per row and model, not once per grouping.
 *
 * @example
 * rowMoments(rows, [0, 1], sums, values, rank, variance, covariance); // variance[(g · K + m) · M + mi] += ψ²
 */
export function rowMoments(
  rows: RowInfluenceRows,
  chunk: readonly number[],
  sums: GroupSums,
  values: readonly Float64Array[],
  rank: Float64Array,
  variance: Float64Array,
  covariance: Float64Array,
): void {
  const { labels, scores, weights, threshold, costs, rowGroups, bin, groups, slot, iAuc, iAp } = rows;
  const { count, positives, predicted, gaps, wanted } = sums;
  const n = labels.length;
  const K = scores.length;
  const M = slot.length;
  const C = chunk.length;
  const paired = K > 1;
  const ids = chunk.map((j) => rowGroups[j]!);
  // Each metric's index among the moments' metrics (−1 when not asked for), AUC and AP aside.
  const at = (name: keyof typeof SLOT) => {
    const mi = slot.indexOf(SLOT[name]);
    return mi === iAuc || mi === iAp ? -1 : mi;
  };
  const iLoss = at("log_loss");
  const iBrier = at("brier");
  const iAccuracy = at("accuracy");
  const iRecall = at("recall");
  const iPrecision = at("precision");
  const iF1 = at("f1");
  const iEce = at("ece");
  const iFpr = at("fpr");
  const iSelection = at("selection_rate");
  const iValue = at("value");
  const delta = new Float64Array(M);
  // Per model, what depends on the row alone.
  const yhat = new Float64Array(K);
  const loss = new Float64Array(K);
  const squared = new Float64Array(K);
  const residual = new Float64Array(K);
  const inBin = new Int32Array(K);
  // ψ = w·φ, 0 where not finite, into variance[o + mi] (and the paired change into delta[mi]).
  const add = (o: number, m: number, mi: number, w: number, phi: number) => {
    let x = w * phi;
    if (!Number.isFinite(x)) x = 0;
    variance[o + mi]! += x * x;
    delta[mi] = m === 0 ? x : delta[mi]! - x;
  };
  // What φ of a count metric is, per group, model, label and decision (`(y, ŷ)`: four cells): it
  // depends on the row through those alone, so each is computed once here, not once per row —
  // the same expression on the same numbers, so the same φ.
  const countMetrics: [number, number][] = (
    [
      [iAccuracy, SLOT.accuracy],
      [iRecall, SLOT.recall],
      [iPrecision, SLOT.precision],
      [iF1, SLOT.f1],
      [iFpr, SLOT.fpr],
      [iSelection, SLOT.selection_rate],
      [iValue, SLOT.value],
    ] as [number, number][]
  ).filter(([mi]) => mi >= 0);
  const cells = new Float64Array(groups * K * SLOTS * 4);
  for (let g = 0; g < groups; g++) {
    if (wanted[g] === 0) continue;
    for (let m = 0; m < K; m++)
      for (const [, s] of countMetrics)
        for (let cell = 0; cell < 4; cell++)
          cells[((g * K + m) * SLOTS + s) * 4 + cell] = countPhi(s, cell >> 1, cell & 1, {
            value: values[m]![g * SLOTS + s]!,
            total: count[g]!,
            P: positives[g]!,
            PP: predicted[m * groups + g]!,
            outcome: [
              [costs.tn, costs.fp],
              [costs.fn, costs.tp],
            ],
          });
  }
  const countMi = Int32Array.from(countMetrics, ([mi]) => mi);
  const countSlot = Int32Array.from(countMetrics, ([, s]) => s);
  for (let i = 0; i < n; i++) {
    let counted = false;
    for (let c = 0; c < C; c++) if (wanted[ids[c]![i]!] === 1) counted = true;
    if (!counted) continue;
    const y = labels[i] === 1 ? 1 : 0;
    const w = weights ? weights[i]! : 1;
    for (let m = 0; m < K; m++) {
      const pm = scores[m]![i]!;
      const decided = pm >= threshold ? 1 : 0;
      const q = Math.min(Math.max(y === 1 ? pm : 1 - pm, FLOAT64_EPS), 1 - FLOAT64_EPS);
      yhat[m] = decided;
      loss[m] = -Math.log(q);
      squared[m] = (y - pm) * (y - pm);
      residual[m] = y - pm;
      inBin[m] = bin[m * n + i]!;
    }
    for (let c = 0; c < C; c++) {
      const g = ids[c]![i]!;
      if (wanted[g] === 0) continue;
      const total = count[g]!;
      const o = g * SLOTS;
      for (let m = 0; m < K; m++) {
        const v = values[m]!;
        const decided = yhat[m]!;
        const a = (g * K + m) * M;
        if (iLoss >= 0) add(a, m, iLoss, w, (loss[m]! - v[o + SLOT.log_loss]!) / total);
        if (iBrier >= 0) add(a, m, iBrier, w, (squared[m]! - v[o + SLOT.brier]!) / total);
        const cell = (g * K + m) * SLOTS * 4 + y * 2 + decided;
        for (let e = 0; e < countMi.length; e++) add(a, m, countMi[e]!, w, cells[cell + countSlot[e]! * 4]!);
        if (iEce >= 0) {
          const gap = gaps[(m * groups + g) * ECE_BINS + inBin[m]!]!;
          add(a, m, iEce, w, (Math.sign(gap) * residual[m]! - v[o + SLOT.ece]!) / total);
        }
      }
      if (!paired) continue;
      if (iAuc >= 0) delta[iAuc] = rank[(i * C + c) * 2]!;
      if (iAp >= 0) delta[iAp] = rank[(i * C + c) * 2 + 1]!;
      const cv = g * M * M;
      for (let a = 0; a < M; a++) {
        const da = delta[a]!;
        if (da === 0) continue;
        for (let b = a; b < M; b++) covariance[cv + a * M + b]! += da * delta[b]!;
      }
    }
  }
}

/**
 * φ of a count metric (see `influenceMoments`) for a row of label `y` and decision `decided` in a
 * group: `value` the group's metric, `total` its rows, `P` its positives, `PP` the model's
 * predicted positives, `outcome[y][decided]` the cost of each outcome (for `value`).
 */
function countPhi(
  s: number,
  y: number,
  decided: number,
  at: { value: number; total: number; P: number; PP: number; outcome: number[][] },
): number {
  const { value: v, total, P, PP } = at;
  switch (s) {
    case SLOT.accuracy:
      return ((decided === y ? 1 : 0) - v) / total;
    case SLOT.recall:
      return y === 1 ? (decided - v) / P : 0;
    case SLOT.precision:
      return decided === 1 ? (y - v) / PP : 0;
    case SLOT.f1:
      return (2 * y * decided - v * (y + decided)) / (P + PP);
    case SLOT.fpr:
      return y === 0 ? (decided - v) / (total - P) : 0;
    case SLOT.selection_rate:
      return (decided - v) / total;
    default:
      return (at.outcome[y]![decided]! - v) / total;
  }
}
