import { type GroupFields, groupFields } from "../slicing/packed-group-ids.js";
import { type DescendingKeys, descendingKeys } from "./descending-order.js";

/** Rows per block of the walk in score order (see {@link fieldRankingSums}). */
const BLOCK = 256;

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
  return fieldRankingSums(labels, scores, groupFields(groupIds, scores.length), groups);
}

/**
 * {@link rankingSums} with the groups as bit fields (see `GroupFields`): the walk in score order
 * reads one word a row at random, and finds ties from the sorted keys, not from the scores read
 * back in random order. One packed array for every grouping is also what keeps 10M rows' exact
 * AUC and AP within memory.
 *
 * @example
 * const t = fieldRankingSums([0, 1], [0.2, 0.9], groupFields([new Uint8Array(2)], 2), 1);
 * t[RANK.AUC] / (t[RANK.POS] * t[RANK.NEG]); // 1
 */
export function fieldRankingSums(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  rows: GroupFields,
  groups: number,
): Float64Array {
  return sortedRankingSums(labels, descendingKeys(scores), rows, groups);
}

/**
 * {@link fieldRankingSums} of scores already sorted by `descendingKeys`: the sort can be done
 * before the groups are known.
 *
 * @example
 * const sorted = descendingKeys(scores); // while the result groups are still being decided
 * sortedRankingSums(labels, sorted, fields, groups);
 */
export function sortedRankingSums(
  labels: ArrayLike<number>,
  sorted: DescendingKeys,
  rows: GroupFields,
  groups: number,
): Float64Array {
  const { order, keys } = sorted;
  const pos = new Float64Array(groups);
  const neg = new Float64Array(groups);
  const auc = new Float64Array(groups);
  const ap = new Float64Array(groups);
  const tiePos = new Float64Array(groups);
  const tieNeg = new Float64Array(groups);
  const { words, wordsPerRow } = rows;
  const n = order.length;
  const sums: WalkSums = { pos, neg, auc, ap, tiePos, tieNeg };
  // The walk goes block by block: first a block's words and labels are read in one small loop,
  // whose random reads the CPU overlaps, then its rows are walked from that buffer. (Read in the
  // walk itself, each row's cache miss stalls it; blocked, the walk takes about a third as long.)
  let buffer = new Uint32Array(BLOCK * wordsPerRow);
  let positive = new Uint8Array(BLOCK);
  let hi = new Uint32Array(BLOCK);
  let lo = new Uint32Array(BLOCK);
  let from = 0;
  while (from < n) {
    // A block never splits a tie.
    let to = Math.min(n, from + BLOCK);
    while (to < n && sameKey(keys, order[to]!, order[to - 1]!)) to++;
    if (to - from > positive.length) {
      buffer = new Uint32Array((to - from) * wordsPerRow);
      positive = new Uint8Array(to - from);
      hi = new Uint32Array(to - from);
      lo = new Uint32Array(to - from);
    }
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      const b = k - from;
      positive[b] = labels[i] === 1 ? 1 : 0;
      lo[b] = keys[2 * i]!;
      hi[b] = keys[2 * i + 1]!;
      for (let x = 0; x < wordsPerRow; x++) buffer[b * wordsPerRow + x] = words[i * wordsPerRow + x]!;
    }
    walkBlock(hi, lo, to - from, buffer, positive, rows, sums);
    from = to;
  }
  const out = new Float64Array(groups * RANK.SIZE);
  for (let g = 0; g < groups; g++) {
    out[g * RANK.SIZE + RANK.POS] = pos[g]!;
    out[g * RANK.SIZE + RANK.NEG] = neg[g]!;
    out[g * RANK.SIZE + RANK.AUC] = auc[g]!;
    out[g * RANK.SIZE + RANK.AP] = ap[g]!;
  }
  return out;
}

/** Per group: positives, negatives and the AUC and AP numerators so far; pending tie counts. */
interface WalkSums {
  pos: Float64Array;
  neg: Float64Array;
  auc: Float64Array;
  ap: Float64Array;
  tiePos: Float64Array;
  tieNeg: Float64Array;
}

/**
 * Walks the `size` sorted rows of a block (whole ties), their keys, words and labels gathered in
 * `hi`, `lo`, `buffer` and `positive`. Its own function, so the JIT optimises it once for every
 * block.
 */
function walkBlock(
  hi: Uint32Array,
  lo: Uint32Array,
  size: number,
  buffer: Uint32Array,
  positive: Uint8Array,
  rows: GroupFields,
  sums: WalkSums,
): void {
  const { wordsPerRow, word, shift, mask, offset } = rows;
  const { pos, neg, auc, ap, tiePos, tieNeg } = sums;
  const G = word.length;
  // Tie by tie. A row alone at its score closes its own one-row tie in each of its groups at
  // once — `closeTie` with one of tp, tn 1 and the other 0, which gives the same numbers — so
  // most rows skip the tie bookkeeping. A tie of several rows first counts its rows into each
  // group's pending tie, then closes every group it touched.
  let k = 0;
  while (k < size) {
    let end = k + 1;
    while (end < size && hi[end] === hi[k] && lo[end] === lo[k]) end++;
    if (end === k + 1) {
      const base = k * wordsPerRow;
      if (positive[k] === 1) {
        for (let j = 0; j < G; j++) {
          const g = ((buffer[base + word[j]!]! >>> shift[j]!) & mask[j]!) + offset[j]!;
          const p = pos[g]! + 1;
          ap[g]! += p / (p + neg[g]!);
          pos[g] = p;
        }
      } else {
        for (let j = 0; j < G; j++) {
          const g = ((buffer[base + word[j]!]! >>> shift[j]!) & mask[j]!) + offset[j]!;
          auc[g]! += pos[g]!;
          neg[g]! += 1;
        }
      }
    } else {
      for (let t = k; t < end; t++) {
        const base = t * wordsPerRow;
        const tie = positive[t] === 1 ? tiePos : tieNeg;
        for (let j = 0; j < G; j++) {
          tie[((buffer[base + word[j]!]! >>> shift[j]!) & mask[j]!) + offset[j]!]! += 1;
        }
      }
      for (let t = k; t < end; t++) {
        const base = t * wordsPerRow;
        for (let j = 0; j < G; j++) {
          const g = ((buffer[base + word[j]!]! >>> shift[j]!) & mask[j]!) + offset[j]!;
          closeTie(g, pos, neg, auc, ap, tiePos, tieNeg);
        }
      }
    }
    k = end;
  }
}

/** Closes group g's pending tie (tp positives, tn negatives): its trapezoid and its AP step. */
function closeTie(
  g: number,
  pos: Float64Array,
  neg: Float64Array,
  auc: Float64Array,
  ap: Float64Array,
  tiePos: Float64Array,
  tieNeg: Float64Array,
): void {
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
}

/** Whether rows i and r have the same key (the same score). */
function sameKey(keys: Uint32Array, i: number, r: number): boolean {
  return keys[2 * i] === keys[2 * r] && keys[2 * i + 1] === keys[2 * r + 1];
}
