import { addSquares, chunkWalk, type InfluencePlan } from "./influence-chunks.js";
import { chunkSums } from "./influence-sums.js";
import type { ChunkWalk } from "./rank-influence.js";
import { rowMoments } from "./row-influence.js";

/**
 * Starts a chunk's walks (`chunkWalks` of `walk` into `rank`) elsewhere, e.g. in a worker thread,
 * and returns what blocks until they are done and gives each model's Σφ² (as `chunkWalks` does).
 */
export type WalkAhead = (walk: ChunkWalk, rank: Float64Array) => () => readonly Float64Array[];

/**
 * Runs every chunk of `plan` as `runChunks` does in one thread, except that each chunk's walks
 * (`chunkWalks`) run through `walkAhead` while this thread makes the chunk before's row pass
 * (`rowMoments`): two threads on a plan whose chunks are too wide to hold one rank array per
 * thread plus a copy of its rows each (`influenceThreads`; at 10M rows a grouping's rank array
 * alone is 160 MB). Two rank arrays in shared memory, used in turn; the row pass reads what the
 * walks of its chunk wrote, and each sum is the one `runChunks` makes (the same operations in the
 * same order on the same numbers), so the moments are the same bit for bit. `chunkSums` of the
 * next chunk runs here while its walks wait for nothing it writes: they read its counts, which it
 * has set by then.
 *
 * @example
 * runChunksAhead(plan, (walk, rank) => { const squares = chunkWalks(walk, rank); return () => squares; });
 * // plan.variance and plan.covariance as runChunks(plan) leaves them
 */
export function runChunksAhead(plan: InfluencePlan, walkAhead: WalkAhead): void {
  const { rows, sums, values, chunks } = plan;
  const n = rows.labels.length;
  const widest = Math.max(...chunks.map((c) => c.length));
  const ranks = [0, 1].map(() => new Float64Array(new SharedArrayBuffer(16 * n * widest)));
  chunkSums(rows, chunks[0]!, sums);
  let walked = walkAhead(chunkWalk(plan, chunks[0]!), ranks[0]!);
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c]!;
    const next = chunks[c + 1];
    if (next) chunkSums(rows, next, sums);
    addSquares(plan, chunk, walked());
    if (next) walked = walkAhead(chunkWalk(plan, next), ranks[(c + 1) % 2]!);
    rowMoments(rows, chunk, sums, values, ranks[c % 2]!, plan.variance, plan.covariance);
  }
}
