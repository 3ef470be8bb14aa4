import { type GroupIds, groupIdArray } from "../slicing/group-ids.js";
import { descendingOrder } from "./descending-order.js";

/** Offsets of one group's ranking sums: counts, the AUC numerator and the AP numerator. */
export const RANK = { POS: 0, NEG: 1, AUC: 2, AP: 3, SIZE: 4 } as const;

/**
 * Exact, unit-weight ROC AUC and average precision numerators of every group in one walk down
 * the rows sorted by descending score: per tie group, negatives × (positives above + ½ tied
 * positives) for `roc_auc_score`'s trapezoids, and tied positives × precision at the bottom of the
 * tie for `average_precision_score`'s steps — the sums `prepareBinaryPass` makes, without the
 * per-replicate machinery. `groupIds[j][i]` is row i's group in grouping j.
 *
 * @example
 * const t = rankingSums([0, 1], [0.2, 0.9], [new Uint32Array(2)], 1);
 * t[RANK.AUC] / (t[RANK.POS] * t[RANK.NEG]); // 1
 */
export function rankingSums(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  groupIds: readonly ArrayLike<number>[],
  groups: number,
): Float64Array {
  // Row-major copies, so the walk in score order touches one cache line per row, not one per grouping.
  const G = groupIds.length;
  const rowGroups = groupIdArray(scores.length * G, groups);
  for (let j = 0; j < G; j++) {
    const ids = groupIds[j]!;
    for (let i = 0; i < ids.length; i++) rowGroups[i * G + j] = ids[i]!;
  }
  return packedRankingSums(labels, scores, rowGroups, G, groups);
}

/**
 * {@link rankingSums} with the groups already row-major: row i's group in grouping j is
 * `rowGroups[i · stride + j]`. One array for every grouping, as narrow as the groups allow, is
 * what keeps 10M rows' exact AUC and AP within memory.
 *
 * @example
 * const t = packedRankingSums([0, 1], [0.2, 0.9], Uint8Array.of(0, 0), 1, 1);
 * t[RANK.AUC] / (t[RANK.POS] * t[RANK.NEG]); // 1
 */
export function packedRankingSums(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  rowGroups: GroupIds,
  stride: number,
  groups: number,
): Float64Array {
  const order = descendingOrder(scores);
  const pos = new Float64Array(groups);
  const neg = new Float64Array(groups);
  const auc = new Float64Array(groups);
  const ap = new Float64Array(groups);
  const tiePos = new Float64Array(groups);
  const tieNeg = new Float64Array(groups);
  const lastTie = new Int32Array(groups).fill(-1);
  // Closes group g's pending tie: inlined by hand below, as a closure call per row and group
  // costs more than the arithmetic.
  const flush = (g: number) => {
    const tp = tiePos[g]!;
    const tn = tieNeg[g]!;
    if (tp === 0 && tn === 0) return;
    const p = pos[g]! + tp;
    auc[g]! += tn * (pos[g]! + 0.5 * tp);
    if (tp !== 0) ap[g]! += (tp * p) / (p + neg[g]! + tn);
    pos[g] = p;
    neg[g]! += tn;
    tiePos[g] = 0;
    tieNeg[g] = 0;
  };
  const G = stride;
  const sorted = new Float64Array(order.length);
  const positives = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) {
    sorted[k] = scores[order[k]!]!;
    positives[k] = labels[order[k]!] === 1 ? 1 : 0;
  }
  let tie = -1;
  for (let k = 0; k < order.length; k++) {
    if (k === 0 || sorted[k] !== sorted[k - 1]) tie = k;
    const positive = positives[k] === 1;
    const base = order[k]! * G;
    for (let j = 0; j < G; j++) {
      const g = rowGroups[base + j]!;
      if (lastTie[g] !== tie) {
        const tp = tiePos[g]!;
        const tn = tieNeg[g]!;
        if (tp !== 0 || tn !== 0) {
          const p = pos[g]! + tp;
          auc[g]! += tn * (pos[g]! + 0.5 * tp);
          if (tp !== 0) ap[g]! += (tp * p) / (p + neg[g]! + tn);
          pos[g] = p;
          neg[g]! += tn;
        }
        tiePos[g] = positive ? 1 : 0;
        tieNeg[g] = positive ? 0 : 1;
        lastTie[g] = tie;
      } else if (positive) tiePos[g]! += 1;
      else tieNeg[g]! += 1;
    }
  }
  const out = new Float64Array(groups * RANK.SIZE);
  for (let g = 0; g < groups; g++) {
    flush(g);
    out[g * RANK.SIZE + RANK.POS] = pos[g]!;
    out[g * RANK.SIZE + RANK.NEG] = neg[g]!;
    out[g * RANK.SIZE + RANK.AUC] = auc[g]!;
    out[g * RANK.SIZE + RANK.AP] = ap[g]!;
  }
  return out;
}
