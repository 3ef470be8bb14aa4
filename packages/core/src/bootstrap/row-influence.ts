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
  // The metrics whose φ is computed here (not AUC, AP): index among the metrics and slot.
  const others = Int32Array.from(slot.keys()).filter((mi) => mi !== iAuc && mi !== iAp);
  const otherSlot = others.map((mi) => slot[mi]!);
  const delta = new Float64Array(M);
  // Per model, what depends on the row alone.
  const p = new Float64Array(K);
  const yhat = new Float64Array(K);
  const loss = new Float64Array(K);
  const squared = new Float64Array(K);
  const outcome = new Float64Array(K);
  const inBin = new Int32Array(K);
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
      p[m] = pm;
      yhat[m] = decided;
      loss[m] = -Math.log(q);
      squared[m] = (y - pm) * (y - pm);
      outcome[m] = y === 1 ? (decided === 1 ? costs.tp : costs.fn) : decided === 1 ? costs.fp : costs.tn;
      inBin[m] = bin[m * n + i]!;
    }
    for (let c = 0; c < C; c++) {
      const g = ids[c]![i]!;
      if (wanted[g] === 0) continue;
      const total = count[g]!;
      const P = positives[g]!;
      const o = g * SLOTS;
      for (let m = 0; m < K; m++) {
        const v = values[m]!;
        const pm = p[m]!;
        const decided = yhat[m]!;
        const PP = predicted[m * groups + g]!;
        const at = (g * K + m) * M;
        for (let e = 0; e < others.length; e++) {
          const s = otherSlot[e]!;
          let phi: number;
          switch (s) {
            case SLOT.log_loss:
              phi = (loss[m]! - v[o + s]!) / total;
              break;
            case SLOT.brier:
              phi = (squared[m]! - v[o + s]!) / total;
              break;
            case SLOT.accuracy:
              phi = ((decided === y ? 1 : 0) - v[o + s]!) / total;
              break;
            case SLOT.recall:
              phi = y === 1 ? (decided - v[o + s]!) / P : 0;
              break;
            case SLOT.precision:
              phi = decided === 1 ? (y - v[o + s]!) / PP : 0;
              break;
            case SLOT.f1:
              phi = (2 * y * decided - v[o + s]! * (y + decided)) / (P + PP);
              break;
            case SLOT.ece: {
              const gap = gaps[(m * groups + g) * ECE_BINS + inBin[m]!]!;
              phi = (Math.sign(gap) * (y - pm) - v[o + s]!) / total;
              break;
            }
            case SLOT.fpr:
              phi = y === 0 ? (decided - v[o + s]!) / (total - P) : 0;
              break;
            case SLOT.selection_rate:
              phi = (decided - v[o + s]!) / total;
              break;
            default:
              phi = (outcome[m]! - v[o + s]!) / total;
          }
          const mi = others[e]!;
          let x = w * phi;
          if (!Number.isFinite(x)) x = 0;
          variance[at + mi]! += x * x;
          delta[mi] = m === 0 ? x : delta[mi]! - x;
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
