import type { BinaryPassData } from "../metrics/binary-pass.js";
import { chunkSums } from "./influence-sums.js";
import { type ChunkWalk, chunkWalks } from "./rank-influence.js";
import { type GroupSums, type RowInfluenceRows, rowMoments } from "./row-influence.js";

/**
 * What the chunks of `influenceMoments` read and write: plain data (typed arrays, the passes'
 * shared arrays), so that a worker thread can take it as it is. `variance` (`[(g · K + m) · M + mi]`)
 * and `covariance` (`[g · M · M + a · M + b]`, upper triangle) receive each chunk's groups' sums;
 * a chunk writes no other group's entries.
 */
export interface InfluencePlan {
  /** One per model (candidate, then baseline). */
  models: readonly BinaryPassData[];
  rows: RowInfluenceRows;
  sums: GroupSums;
  /** Per model, each group's metric values by slot (`g · SLOTS + slot`). */
  values: readonly Float64Array[];
  /** The groups computed. */
  groups: readonly number[];
  /** Each group's grouping (−1 for a group without rows). */
  groupingOf: Int32Array;
  /** The groupings walked together, chunk by chunk (`groupingChunks`). */
  chunks: readonly (readonly number[])[];
  variance: Float64Array;
  covariance: Float64Array;
}

/**
 * Computes the chunks of an {@link InfluencePlan} (possibly split over threads, as `runChunks` with
 * a shared counter does) and leaves every chunk's sums in its `variance` and `covariance`.
 */
export type InfluenceRunner = (plan: InfluencePlan) => void;

/**
 * Bytes the AUC and AP influence of one chunk of groupings may take (two doubles per row and
 * grouping): the groupings are walked together in as few chunks as fit, and one at a time when one
 * alone is larger (16 bytes a row: 160 MB at 10M rows).
 */
export const RANK_BYTES = 2 ** 27;

/**
 * The groupings `0 … stride − 1` in consecutive chunks of equal size (within one) whose rank arrays
 * fit `bytes` at `rows` rows (one chunk when nothing is ranked: `rows` 0).
 *
 * @example
 * groupingChunks(11, 1_000_000, 2 ** 27); // [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9, 10]]
 */
export function groupingChunks(stride: number, rows: number, bytes: number): number[][] {
  const fit = rows === 0 ? stride : Math.max(1, Math.floor(bytes / (16 * rows)));
  const chunks = Math.ceil(stride / fit);
  return Array.from({ length: chunks }, (_, c) =>
    Array.from(
      { length: Math.floor((stride * (c + 1)) / chunks) - Math.floor((stride * c) / chunks) },
      (_, k) => Math.floor((stride * c) / chunks) + k,
    ),
  );
}

/**
 * Runs chunks of `plan` in this thread: chunk `next()` until it returns one past the last
 * (default: every chunk in turn). Threads that share a counter (`() => Atomics.add(counter, 0, 1)`)
 * each take the next chunk not yet taken; every chunk's sums are the same whoever computes them.
 *
 * @example
 * runChunks(plan); // plan.variance and plan.covariance hold every group's sums
 */
export function runChunks(plan: InfluencePlan, next?: () => number): void {
  let taken = 0;
  const take = next ?? (() => taken++);
  const { rows, sums, values } = plan;
  const n = rows.labels.length;
  const withRank = rows.iAuc >= 0 || rows.iAp >= 0;
  let rank = new Float64Array(0);
  for (let c = take(); c < plan.chunks.length; c = take()) {
    const chunk = plan.chunks[c]!;
    chunkSums(rows, chunk, sums);
    // AUC and AP influence by input row and grouping of the chunk (`rankWalk`'s layout), paired
    // (candidate's minus baseline's) once both walks ran; one array for every chunk of this thread.
    if (withRank && rank.length < 2 * n * chunk.length) rank = new Float64Array(2 * n * chunk.length);
    if (withRank) addSquares(plan, chunk, chunkWalks(chunkWalk(plan, chunk), rank));
    rowMoments(rows, chunk, sums, values, rank, plan.variance, plan.covariance);
  }
}

/**
 * What `chunkWalks` reads for `chunk` of `plan`.
 *
 * @example
 * chunkWalks(chunkWalk(plan, [0]), rank); // each model's Σφ² of AUC and AP, φ in `rank`
 */
export function chunkWalk(plan: InfluencePlan, chunk: readonly number[]): ChunkWalk {
  const { rows, sums } = plan;
  return {
    models: plan.models,
    chunk,
    counts: { count: sums.count, positives: sums.positives, wanted: sums.wanted },
    values: plan.values,
    ranked: { auc: rows.iAuc >= 0, ap: rows.iAp >= 0 },
    weights: rows.weights,
  };
}

/**
 * Adds each model's walk Σφ² (`chunkWalks`) of the groups of `chunk` to their AUC and AP variances
 * in `plan` (each such entry is written by its chunk's walks alone).
 *
 * @example
 * addSquares(plan, [0], chunkWalks(chunkWalk(plan, [0]), rank));
 */
export function addSquares(
  plan: InfluencePlan,
  chunk: readonly number[],
  squares: readonly Float64Array[],
): void {
  const { rows, variance } = plan;
  const K = plan.models.length;
  const M = rows.slot.length;
  const inChunk = plan.groups.filter((g) => chunk.includes(plan.groupingOf[g]!));
  for (let m = 0; m < K; m++) {
    for (const g of inChunk) {
      const o = (g * K + m) * M;
      if (rows.iAuc >= 0) variance[o + rows.iAuc]! += squares[m]![2 * g]!;
      if (rows.iAp >= 0) variance[o + rows.iAp]! += squares[m]![2 * g + 1]!;
    }
  }
}
