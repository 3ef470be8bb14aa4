import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { type Profile, type SegmentMonitorOptions, sortFloat64 } from "@gauntlet/core";
import {
  awaitWorker,
  type ReplicateThreadOptions,
  type StartedWorker,
  startWorker,
  warmWorkers,
} from "../evaluate/worker-share.js";

/**
 * The worker's file name, next to this module: `dist/drift/` in the package, and next to the
 * bundle in drift-check's `dist/` (scripts/build.mjs bundles it there). A variable, so that the
 * bundler leaves the URL alone.
 */
const WORKER_FILE = "sort-worker.js";

/**
 * Most values copied to the worker at once (8 bytes each): bounds the memory the split adds (8 MB;
 * the 10M-row drift bench peaks near its 1 GB bound), at a message per round.
 */
const ROUND_VALUES = 1024 * 1024;

/**
 * Segment window sketch blocks handed over and not yet in their sketch: past this many the oldest
 * is settled (sorted here if the worker has not yet), bounding the blocks held (16,384 values,
 * 128 KB each: 2 MB). The worker sorts one in about a millisecond; the 1M-row bench's segments
 * fill one every ~10 ms.
 */
const WAITING_BLOCKS = 16;

/** One round of values for `sort-worker.ts`: `lengths` arrays laid end to end in `scratch`. */
export interface SortRound {
  scratch: Float64Array;
  lengths: number[];
}

/**
 * A round of `arrays` for the sort worker: copies of them laid end to end in `buffer` (from its
 * start), or in a new shared buffer when none is given.
 *
 * @example
 * sortRound([Float64Array.of(2, 1), Float64Array.of(3)]); // { scratch: [2, 1, 3], lengths: [2, 1] }
 */
export function sortRound(arrays: readonly Float64Array[], buffer?: SharedArrayBuffer): SortRound {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const scratch = new Float64Array(buffer ?? new SharedArrayBuffer(8 * total), 0, total);
  let at = 0;
  for (const a of arrays) {
    scratch.set(a, at);
    at += a.length;
  }
  return { scratch, lengths: arrays.map((a) => a.length) };
}

/**
 * A drift monitor's sorters (its `sortValues` and `presortValues` options) from {@link sortThreads},
 * and the segment windows' (`presortBlock`, see `LayerObservers.sortBlocksWith`).
 */
export interface SortingThreads {
  sortValues: (arrays: Float64Array[]) => void;
  presortValues: (arrays: Float64Array[]) => void;
  presortBlock: NonNullable<SegmentMonitorOptions["presortBlock"]>;
}

/**
 * Sorts a drift check's window values in two threads: this one and a worker, which starts loading
 * when the sorter is made (so it is ready by the time the windows are finished).
 *
 * `presortValues` (called after every log batch) queues the values of windows the log has left
 * behind for the worker, which sorts them while the log is still read: it sends a round when the
 * worker is free and takes back the one it finished, never waiting. `sortValues` (at the end)
 * first waits for the round in flight, then leaves out the arrays the worker sorted that are
 * unchanged since (same buffer, offset and length: a window's kept values only grow at the end);
 * the rest are split into two halves of about equal size; the worker's half goes to it in rounds of
 * at most `roundValues` values (default {@link ROUND_VALUES}), copied into a shared buffer, sorted
 * there with the same `sortFloat64` and copied back, while this thread sorts its half. The values
 * are those of sorting every array here, bit for bit (an array sorted early and grown since is
 * sorted again).
 *
 * `presortBlock` queues a segment window's full sketch block the same way, unless the queue holds
 * a round's worth of values already (the block is then sorted where it is settled); the worker's
 * sorted copy is written back into it (the same values its own sort gives, so a block settled in
 * the meantime is unchanged), and of the blocks handed over and not yet settled, the oldest is
 * settled beyond {@link WAITING_BLOCKS}. Blocks are not among the arrays `sortValues` leaves out.
 * `undefined` with one core or without the worker file (running from TypeScript
 * sources): the windows' profiles then sort their values themselves. A worker that fails throws
 * its error; one that gives no sign for `patience` ms (default a minute) is stopped and the arrays
 * it had are sorted here.
 *
 * @example
 * const sorting = sortThreads();
 * const monitor = createDriftMonitor({ ...options, ...sorting });
 */
export function sortThreads(
  options: ReplicateThreadOptions = {},
  roundValues = ROUND_VALUES,
): SortingThreads | undefined {
  const threads = options.threads ?? availableParallelism();
  const url = options.url ?? new URL(WORKER_FILE, import.meta.url);
  if (threads < 2 || !existsSync(fileURLToPath(url))) return undefined;
  warmWorkers(url, 1, options.execArgv);
  const patience = options.patience ?? 60_000;
  // One round is with the worker at a time, so one scratch buffer serves them all, grown to the
  // largest (a new one per round left the 10M-row bench's peak to when GC freed the old ones).
  let buffer: SharedArrayBuffer | undefined;
  /** Sends `arrays` to the worker as one round. */
  const sendRound = (
    arrays: Float64Array[],
  ): { job: StartedWorker; arrays: Float64Array[]; scratch: Float64Array } => {
    const bytes = 8 * arrays.reduce((n, a) => n + a.length, 0);
    if (!buffer || buffer.byteLength < bytes) buffer = new SharedArrayBuffer(bytes);
    const job = sortRound(arrays, buffer);
    return { job: startWorker(url, job, options.execArgv), arrays, scratch: job.scratch };
  };
  /** Copies a finished round back; `false` when the worker was silent (its arrays are unsorted). */
  const takeBack = (round: ReturnType<typeof sendRound>): boolean => {
    if (awaitWorker(round.job, patience, "a sorting worker") === "silent") {
      // A stopped worker may not have let go of its buffer yet: the next round gets a new one.
      buffer = undefined;
      return false;
    }
    let at = 0;
    for (const a of round.arrays) {
      a.set(round.scratch.subarray(at, at + a.length));
      at += a.length;
    }
    return true;
  };

  const queue: Float64Array[] = [];
  const presorted: Float64Array[] = [];
  const blocks = new WeakSet<Float64Array>();
  const settles: (() => void)[] = [];
  let early: ReturnType<typeof sendRound> | undefined;
  /** Takes back the early round in flight (if done, or waiting for it) and sends the next. */
  const pump = (wait: boolean): void => {
    if (early && (wait || Atomics.load(early.job.done, 0) !== 0)) {
      if (takeBack(early)) presorted.push(...early.arrays.filter((a) => !blocks.has(a)));
      early = undefined;
    }
    if (!early && !wait && queue.length > 0)
      early = sendRound(queue.splice(0, inRounds(queue, roundValues)[0]!.length));
  };

  const sortValues = (all: Float64Array[]): void => {
    pump(true);
    queue.length = 0;
    const sorted = (a: Float64Array) =>
      presorted.some((p) => p.buffer === a.buffer && p.byteOffset === a.byteOffset && p.length === a.length);
    const { mine, theirs } = halves(all.filter((a) => !sorted(a)));
    const rounds = inRounds(theirs, roundValues);
    let round = 0;
    let started = round < rounds.length ? sendRound(rounds[round]!) : undefined;
    /** Takes the worker's round back (waiting for it) and sends the next. */
    const receive = (job: ReturnType<typeof sendRound>): void => {
      if (!takeBack(job)) {
        // It only ever wrote to its scratch buffer: what it had left is sorted here.
        for (const r of rounds.slice(round)) for (const a of r) sortFloat64(a);
        round = rounds.length;
      } else round += 1;
      started = round < rounds.length ? sendRound(rounds[round]!) : undefined;
    };
    for (const a of mine) {
      sortFloat64(a);
      if (started && Atomics.load(started.job.done, 0) !== 0) receive(started);
    }
    while (started) receive(started);
  };
  return {
    sortValues,
    presortValues: (arrays) => {
      queue.push(...arrays);
      pump(false);
    },
    presortBlock: (block, settle) => {
      settles.push(settle);
      if (settles.length > WAITING_BLOCKS) settles.shift()!();
      if (queue.reduce((n, a) => n + a.length, block.length) <= roundValues) {
        blocks.add(block);
        queue.push(block);
      }
      pump(false);
    },
  };
}

/** The arrays in two groups of about equal total length, largest first. */
function halves(arrays: Float64Array[]): { mine: Float64Array[]; theirs: Float64Array[] } {
  const mine: Float64Array[] = [];
  const theirs: Float64Array[] = [];
  let mineN = 0;
  let theirsN = 0;
  for (const a of [...arrays].sort((x, y) => y.length - x.length)) {
    if (theirsN <= mineN) {
      theirs.push(a);
      theirsN += a.length;
    } else {
      mine.push(a);
      mineN += a.length;
    }
  }
  return { mine, theirs };
}

/** Consecutive groups of arrays of at most `limit` values (a larger array alone). */
function inRounds(arrays: Float64Array[], limit: number): Float64Array[][] {
  const rounds: Float64Array[][] = [];
  let size = Number.POSITIVE_INFINITY;
  for (const a of arrays) {
    if (size + a.length > limit) {
      rounds.push([]);
      size = 0;
    }
    rounds[rounds.length - 1]!.push(a);
    size += a.length;
  }
  return rounds;
}

/**
 * Runs `run` with {@link sortThreads}' sorters when the reference keeps values
 * (else there is nothing to sort, and no worker starts).
 *
 * @example
 * await withSortThreads(reference, async (sorting) => createDriftMonitor({ ...options, ...sorting }));
 */
export async function withSortThreads<T>(
  reference: Profile,
  run: (sorting: Partial<SortingThreads>) => Promise<T>,
): Promise<T> {
  const keeps = Object.values(reference.columns).some((c) => c.kind === "number" && c.values !== undefined);
  return run((keeps ? sortThreads() : undefined) ?? {});
}
