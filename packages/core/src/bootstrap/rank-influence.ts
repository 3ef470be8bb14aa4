import type { BinaryPassData } from "../metrics/binary-pass.js";
import { SLOT, SLOTS } from "./influence-slots.js";

/** Group counts the walks read: rows and positives per group, and which groups are computed. */
export interface GroupCounts {
  count: Float64Array;
  positives: Float64Array;
  wanted: Uint8Array;
}

/**
 * Rows of a walk whose influence `rankWalk` keeps in score order before moving it to `rank` (by
 * input row) in one short loop: 2,048 rows of 6 groupings take 192 KB.
 */
export const WALK_BLOCK_ROWS = 2048;

/**
 * Walks one model's rows up from the lowest score, one tie block at a time, for the groupings
 * `groupings` at once (each group is in one grouping, so a group's sums see its rows in the same
 * order as a walk of its grouping alone: the same numbers): each row of a wanted group in the
 * c-th of them gets `sign · φ` of AUC and AP added into `rank[(row · groupings.length + c) · 2]`
 * and the slot after it (set when sign is 1: the candidate; subtracted for the baseline). One walk
 * for several groupings reads the order, labels and scores once and touches each row's `rank`
 * entries in one place. Per group it keeps the positives and negatives below the block and the
 * running sums A and B (see `influenceMoments`). Returns per group Σφ² of AUC and AP, at `2g` and
 * `2g + 1`. The walk writes each row's entries in score order into a block of `blockRows` rows (or
 * a longer tie), then moves the block into `rank` in loops that only copy (`moveBlock`): rows
 * visited in score order are at random places in `rank`, and a loop of copies waits for many of
 * those places at once where the walk's arithmetic waited for each in turn (bootstrap of the 1M
 * bench rows ~0.5–1 CPU-s less). The same numbers, whatever `blockRows`.
 *
 * @example
 * const rank = new Float64Array(2 * rows);
 * const squares = rankWalk(pass.data, [0], { count, positives, wanted }, values, 1, rank, { auc: true, ap: true }, undefined);
 * squares[0]; // Σφ² of group 0's ROC AUC (DeLong's variance)
 */
export function rankWalk(
  data: BinaryPassData,
  groupings: readonly number[],
  counts: GroupCounts,
  values: Float64Array,
  sign: 1 | -1,
  rank: Float64Array,
  ranked: { auc: boolean; ap: boolean },
  weights: ArrayLike<number> | undefined,
  blockRows = WALK_BLOCK_ROWS,
): Float64Array {
  const { order, label, p, group, stride, groups } = data;
  const { count, positives, wanted } = counts;
  const C = groupings.length;
  const js = Int32Array.from(groupings);
  const posBelow = new Float64Array(groups);
  const negBelow = new Float64Array(groups);
  const posTie = new Float64Array(groups);
  const negTie = new Float64Array(groups);
  const sumA = new Float64Array(groups);
  const sumB = new Float64Array(groups);
  const prec = new Float64Array(groups);
  const stepped = new Uint8Array(groups);
  const squares = new Float64Array(2 * groups);
  const withAuc = ranked.auc;
  const withAp = ranked.ap;
  const rocAt = SLOT.roc_auc;
  const apAt = SLOT.average_precision;
  // Row at position q's entries are at `((top − q) · C + c) · 2` of `block` until moved.
  let block = new Float64Array(2 * C * blockRows);
  let k = order.length - 1;
  let top = k;
  while (k >= 0) {
    let from = k;
    while (from > 0 && p[from - 1] === p[k]) from--;
    if (2 * C * (top - from + 1) > block.length) {
      moveBlock(block, order, k + 1, top, C, sign, rank);
      top = k;
      if (2 * C * (k - from + 1) > block.length) block = new Float64Array(2 * C * (k - from + 1));
    }
    if (from === k) {
      // A row alone at its score (most rows): the four steps below for a block of one.
      const y = label[k]!;
      const i = order[k]!;
      const w = weights ? weights[i]! : 1;
      for (let c = 0; c < C; c++) {
        const g = group[k * stride + js[c]!]!;
        const P = positives[g]!;
        const d = count[g]! - negBelow[g]! - posBelow[g]!;
        const pr = (P - posBelow[g]!) / d;
        if (y === 1) {
          sumA[g]! += w / d;
          sumB[g]! += (w * pr) / d;
        }
        if (wanted[g] === 1) {
          const at = ((top - k) * C + c) * 2;
          const N = count[g]! - P;
          if (withAuc) {
            let x =
              w *
              (y === 1
                ? (negBelow[g]! / N - values[g * SLOTS + rocAt]!) / P
                : ((P - posBelow[g]!) / P - values[g * SLOTS + rocAt]!) / N);
            if (!Number.isFinite(x)) x = 0;
            squares[2 * g]! += x * x;
            block[at] = x;
          }
          if (withAp) {
            let x = (w * (y * (pr - values[g * SLOTS + apAt]!) + y * sumA[g]! - sumB[g]!)) / P;
            if (!Number.isFinite(x)) x = 0;
            squares[2 * g + 1]! += x * x;
            block[at + 1] = x;
          }
        }
        if (y === 1) posBelow[g]! += w;
        else negBelow[g]! += w;
      }
      k--;
      continue;
    }
    for (let q = from; q <= k; q++) {
      const w = weights ? weights[order[q]!]! : 1;
      const y = label[q]!;
      for (let c = 0; c < C; c++) {
        const g = group[q * stride + js[c]!]!;
        if (y === 1) posTie[g]! += w;
        else negTie[g]! += w;
      }
    }
    // The block's step of the AP sum, once per group: Dₜ rows and TPₜ positives scored ≥ t.
    for (let q = from; q <= k; q++) {
      for (let c = 0; c < C; c++) {
        const g = group[q * stride + js[c]!]!;
        if (stepped[g] === 1) continue;
        stepped[g] = 1;
        const d = count[g]! - negBelow[g]! - posBelow[g]!;
        prec[g] = (positives[g]! - posBelow[g]!) / d;
        sumA[g]! += posTie[g]! / d;
        sumB[g]! += (posTie[g]! * prec[g]!) / d;
      }
    }
    for (let q = from; q <= k; q++) {
      const y = label[q]!;
      const i = order[q]!;
      const w = weights ? weights[i]! : 1;
      for (let c = 0; c < C; c++) {
        const g = group[q * stride + js[c]!]!;
        if (wanted[g] === 0) continue;
        const P = positives[g]!;
        const N = count[g]! - P;
        const at = ((top - q) * C + c) * 2;
        if (withAuc) {
          let x =
            w *
            (y === 1
              ? ((negBelow[g]! + 0.5 * negTie[g]!) / N - values[g * SLOTS + rocAt]!) / P
              : ((P - posBelow[g]! - 0.5 * posTie[g]!) / P - values[g * SLOTS + rocAt]!) / N);
          if (!Number.isFinite(x)) x = 0;
          squares[2 * g]! += x * x;
          block[at] = x;
        }
        if (withAp) {
          let x = (w * (y * (prec[g]! - values[g * SLOTS + apAt]!) + y * sumA[g]! - sumB[g]!)) / P;
          if (!Number.isFinite(x)) x = 0;
          squares[2 * g + 1]! += x * x;
          block[at + 1] = x;
        }
      }
    }
    for (let q = from; q <= k; q++) {
      for (let c = 0; c < C; c++) {
        const g = group[q * stride + js[c]!]!;
        if (stepped[g] === 0) continue;
        stepped[g] = 0;
        posBelow[g]! += posTie[g]!;
        negBelow[g]! += negTie[g]!;
        posTie[g] = 0;
        negTie[g] = 0;
      }
    }
    k = from - 1;
  }
  moveBlock(block, order, 0, top, C, sign, rank);
  return squares;
}

/**
 * Moves the walk's entries of positions `from … top` from `block` (see `rankWalk`) to their input
 * rows' places in `rank`: set there (`sign` 1) or subtracted from what is there (−1). A row's
 * first and last entries first, for every row (a short loop that asks for all their cache lines
 * at once), then the entries between. Entries of a group not wanted are moved too; nothing reads
 * them.
 */
function moveBlock(
  block: Float64Array,
  order: ArrayLike<number>,
  from: number,
  top: number,
  C: number,
  sign: 1 | -1,
  rank: Float64Array,
): void {
  const width = 2 * C;
  if (width === 0) return;
  const last = width - 1;
  for (let q = top; q >= from; q--) {
    const src = (top - q) * width;
    const dst = order[q]! * width;
    if (sign === 1) {
      rank[dst] = block[src]!;
      rank[dst + last] = block[src + last]!;
    } else {
      rank[dst] = rank[dst]! - block[src]!;
      rank[dst + last] = rank[dst + last]! - block[src + last]!;
    }
  }
  for (let q = top; q >= from; q--) {
    const src = (top - q) * width;
    const dst = order[q]! * width;
    if (sign === 1) for (let e = 1; e < last; e++) rank[dst + e] = block[src + e]!;
    else for (let e = 1; e < last; e++) rank[dst + e] = rank[dst + e]! - block[src + e]!;
  }
}

/** What {@link chunkWalks} reads besides the passes: plain data a worker thread takes as it is. */
export interface ChunkWalk {
  /** One per model (candidate, then baseline). */
  models: readonly BinaryPassData[];
  /** The groupings walked together. */
  chunk: readonly number[];
  counts: GroupCounts;
  /** Per model, each group's metric values by slot (`g · SLOTS + slot`). */
  values: readonly Float64Array[];
  ranked: { auc: boolean; ap: boolean };
  weights: ArrayLike<number> | undefined;
}

/**
 * Every model's `rankWalk` of one chunk of groupings into `rank`: the candidate's φ set there, each
 * baseline's subtracted (the paired change, as `rowMoments` reads it). Returns each model's Σφ² per
 * group (`rankWalk`'s), in turn. What `runChunks` does for a chunk before its row pass, and what a
 * worker thread does for the next chunk while this one's row pass runs (`influenceThreads`).
 *
 * @example
 * const [candidate, baseline] = chunkWalks({ models, chunk: [0], counts, values, ranked, weights: undefined }, rank);
 * candidate[0]; // Σφ² of group 0's ROC AUC for the candidate
 */
export function chunkWalks(walk: ChunkWalk, rank: Float64Array): Float64Array[] {
  return walk.models.map((data, m) =>
    rankWalk(
      data,
      walk.chunk,
      walk.counts,
      walk.values[m]!,
      m === 0 ? 1 : -1,
      rank,
      walk.ranked,
      walk.weights,
    ),
  );
}
