import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { type Profile, sortFloat64 } from "@gauntlet/core";
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

/** One round of values for `sort-worker.ts`: `lengths` arrays laid end to end in `scratch`. */
export interface SortRound {
  scratch: Float64Array;
  lengths: number[];
}

/**
 * Sorts a drift check's window values in two threads: this one and a worker, which starts loading
 * when the sorter is made (so it is ready by the time the windows are finished). The arrays are
 * split into two halves of about equal size; the worker's half goes to it in rounds of at most
 * `roundValues` values (default {@link ROUND_VALUES}), copied into a shared buffer, sorted there
 * with the same `sortFloat64` and copied back, while this thread sorts its half. The values are
 * those of sorting every array here, bit for bit. `undefined` with one core or without the worker
 * file (running from TypeScript sources): the windows' profiles then sort their values themselves.
 * A worker that fails throws its error; one that gives no sign for `patience` ms (default a
 * minute) is stopped and the arrays it had are sorted here.
 *
 * @example
 * const sortValues = sortThreads();
 * const monitor = createDriftMonitor({ ...options, ...(sortValues ? { sortValues } : {}) });
 */
export function sortThreads(
  options: ReplicateThreadOptions = {},
  roundValues = ROUND_VALUES,
): ((arrays: Float64Array[]) => void) | undefined {
  const threads = options.threads ?? availableParallelism();
  const url = options.url ?? new URL(WORKER_FILE, import.meta.url);
  if (threads < 2 || !existsSync(fileURLToPath(url))) return undefined;
  warmWorkers(url, 1, options.execArgv);
  const patience = options.patience ?? 60_000;
  return (arrays) => {
    const { mine, theirs } = halves(arrays);
    const rounds = inRounds(theirs, roundValues);
    const largest = Math.max(0, ...rounds.map((r) => r.reduce((n, a) => n + a.length, 0)));
    const scratch = new Float64Array(new SharedArrayBuffer(8 * largest));
    let round = 0;
    const send = (): StartedWorker | undefined => {
      if (round === rounds.length) return undefined;
      let at = 0;
      for (const a of rounds[round]!) {
        scratch.set(a, at);
        at += a.length;
      }
      const job: SortRound = { scratch, lengths: rounds[round]!.map((a) => a.length) };
      return startWorker(url, job, options.execArgv);
    };
    let started = send();
    /** Takes the worker's round back (waiting for it) and sends the next. */
    const receive = (job: StartedWorker): void => {
      if (awaitWorker(job, patience, "a sorting worker") === "silent") {
        // It only ever wrote to the scratch buffer: what it had left is sorted here.
        for (const r of rounds.slice(round)) for (const a of r) sortFloat64(a);
        round = rounds.length;
      } else {
        let at = 0;
        for (const a of rounds[round]!) {
          a.set(scratch.subarray(at, at + a.length));
          at += a.length;
        }
        round += 1;
      }
      started = send();
    };
    for (const a of mine) {
      sortFloat64(a);
      if (started && Atomics.load(started.done, 0) !== 0) receive(started);
    }
    while (started) receive(started);
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
 * Runs `run` with {@link sortThreads}' sorter as `sortValues` when the reference keeps values
 * (else there is nothing to sort, and no worker starts).
 *
 * @example
 * await withSortThreads(reference, async (sorting) => createDriftMonitor({ ...options, ...sorting }));
 */
export async function withSortThreads<T>(
  reference: Profile,
  run: (sorting: { sortValues?: (arrays: Float64Array[]) => void }) => Promise<T>,
): Promise<T> {
  const keeps = Object.values(reference.columns).some((c) => c.kind === "number" && c.values !== undefined);
  const sortValues = keeps ? sortThreads() : undefined;
  return run(sortValues ? { sortValues } : {});
}
