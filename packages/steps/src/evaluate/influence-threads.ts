import {
  type ChunkWalk,
  chunkWalks,
  type InfluencePlan,
  type InfluenceRunner,
  RANK_BYTES,
  runChunks,
  runChunksAhead,
  type WalkAhead,
} from "@gauntlet/core";
import { workerModule } from "./replicate-threads.js";
import { awaitWorker, type ReplicateThreadOptions, startWorker, type WorkerSignal } from "./worker-share.js";

/** A worker's part in the influence moments, as `replicate-worker.ts` receives it. */
export interface InfluenceShare extends WorkerSignal {
  /** The plan, its `variance` and `covariance` in shared memory. */
  plan: InfluencePlan;
  /** The next chunk to take, shared by every thread. */
  counter: Int32Array;
}

/** A worker's walks of one chunk (`chunkWalks`), as `replicate-worker.ts` receives them. */
export interface WalkShare extends WorkerSignal {
  walk: ChunkWalk;
  /** Shared: the walks' φ, read by this thread's row pass. */
  rank: Float64Array;
  /** Shared, one per model: the walks' Σφ² (`2 · groups` each). */
  squares: Float64Array[];
}

/** Options of {@link influenceThreads}: the worker pool's, and the width past which chunks are walked ahead. */
export interface InfluenceThreadOptions extends ReplicateThreadOptions {
  /** Rank bytes of a chunk past which its walks run ahead in a worker (default `RANK_BYTES`). */
  rankBytes?: number;
}

/**
 * An `InfluenceRunner` that spreads the influence moments' chunks of groupings over threads — this
 * one and worker threads (the bootstrap's worker module) — each taking the next chunk no thread
 * has taken. A chunk writes only its own groups' sums, each summed in the same order as in one
 * thread, so the moments are the same bit for bit. `undefined` with one core or without the worker
 * file; the chunks run here when there is only one. When a chunk's rank arrays alone pass
 * `rankBytes` (10M rows: 160 MB a grouping), a worker taking whole chunks would need its own rank
 * array and its own copy of the rows it reads (labels, scores, group ids: about 370 MB at 10M), so
 * instead one worker walks the next chunk's sorted scores (`runChunksAhead`: it reads only the
 * passes' shared arrays) while this thread makes the row pass of the chunk before: one more rank
 * array (160 MB at 10M) and no copy. A worker that throws fails the evaluation; one silent for a
 * minute and 20 times this thread's own work is stopped and every chunk recomputed here (walking
 * ahead: a minute, and its walks are made here).
 *
 * @example
 * evaluate({ ...input, runInfluence: influenceThreads() }); // same Evaluation, its Gaussian groups sooner on 2 cores
 */
export function influenceThreads(options: InfluenceThreadOptions = {}): InfluenceRunner | undefined {
  const module = workerModule(options);
  if (!module) return undefined;
  const { url, threads } = module;
  return (plan) => {
    const rows = plan.rows.labels.length;
    const widest = Math.max(...plan.chunks.map((c) => c.length));
    if (plan.chunks.length < 2) return runChunks(plan);
    if (16 * rows * widest > (options.rankBytes ?? RANK_BYTES))
      return runChunksAhead(plan, walkAhead(url, options));
    const job = { plan: sharedPlan(plan), counter: new Int32Array(new SharedArrayBuffer(4)) };
    const workers = Array.from({ length: Math.min(threads, plan.chunks.length) - 1 }, () =>
      startWorker(url, job, options.execArgv),
    );
    const started = performance.now();
    runChunks(job.plan, () => Atomics.add(job.counter, 0, 1));
    const patience = options.patience ?? Math.max(60_000, 20 * (performance.now() - started));
    const silent = workers
      .map((w) => awaitWorker(w, patience, "an influence worker"))
      .some((state) => state === "silent");
    // A silent worker may have taken a chunk and written part of it: every chunk again, here.
    if (silent) return runChunks(plan);
    copyWritten(job.plan, plan);
  };
}

/**
 * Hands a chunk's walks to a worker (`WalkShare`); what it returns waits for them. Sample weights
 * by row, read by every walk, go to shared memory once. A silent worker's walks are made here
 * (they set every entry of `rank` before the baseline's subtract from it: a partial write is
 * overwritten).
 */
function walkAhead(url: URL, options: InfluenceThreadOptions): WalkAhead {
  let weights: { from: ArrayLike<number>; to: Float64Array } | undefined;
  return (walk, rank) => {
    if (walk.weights && weights?.from !== walk.weights) {
      const from = walk.weights;
      const isShared = from instanceof Float64Array && from.buffer instanceof SharedArrayBuffer;
      const to = isShared ? from : new Float64Array(new SharedArrayBuffer(8 * from.length));
      if (!isShared) to.set(from);
      weights = { from, to };
    }
    const shared = { ...walk, weights: weights?.to };
    const groups = walk.counts.count.length;
    const squares = walk.models.map(() => new Float64Array(new SharedArrayBuffer(16 * groups)));
    const started = startWorker(url, { walk: shared, rank, squares }, options.execArgv);
    const patience = options.patience ?? 60_000;
    return () =>
      awaitWorker(started, patience, "an influence worker") === "done" ? squares : chunkWalks(walk, rank);
  };
}

/** The arrays a plan's chunks write: the moments and the groups' sums (`chunkSums`). */
function written(plan: InfluencePlan): Float64Array[] {
  const { count, positives, predicted, gaps, gapVariance } = plan.sums;
  return [plan.variance, plan.covariance, count, positives, predicted, gaps, gapVariance];
}

/**
 * `plan` with every array its chunks write (the moments and the groups' sums) copied into shared
 * memory, for threads to fill; {@link copyWritten} takes their values back.
 *
 * @example
 * const job = sharedPlan(plan); // runChunks(job, next) in each thread, then copyWritten(job, plan)
 */
export function sharedPlan(plan: InfluencePlan): InfluencePlan {
  const [variance, covariance, count, positives, predicted, gaps, gapVariance] = written(plan).map((a) => {
    const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  });
  return {
    ...plan,
    variance: variance!,
    covariance: covariance!,
    sums: {
      ...plan.sums,
      count: count!,
      positives: positives!,
      predicted: predicted!,
      gaps: gaps!,
      gapVariance: gapVariance!,
    },
  };
}

/** Copies what the chunks wrote into `from` (a {@link sharedPlan} of `to`) into `to`'s arrays. */
export function copyWritten(from: InfluencePlan, to: InfluencePlan): void {
  const source = written(from);
  written(to).forEach((a, k) => {
    a.set(source[k]!);
  });
}
