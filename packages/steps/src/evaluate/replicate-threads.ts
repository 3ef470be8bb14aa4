import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import {
  type BootstrapInput,
  bootstrapMetrics,
  type PassData,
  type ReplicateRunner,
  rowLosses,
} from "@gauntlet/core";
import {
  awaitWorker,
  type ReplicateThreadOptions,
  startWorker,
  type WorkerSignal,
  warmWorkers,
} from "./worker-share.js";

export type { ReplicateThreadOptions } from "./worker-share.js";

/**
 * The worker's file name, next to this module: `dist/evaluate/` in the package, and next to the
 * bundle in an action's `dist/` (scripts/build.mjs bundles it there). A variable, so that the
 * bundler leaves the URL alone instead of copying a source file as an asset. The URL is made in
 * this module: made in worker-share.ts (which starts the workers), ncc turned it into a path string.
 */
const WORKER_FILE = "replicate-worker.js";

/**
 * The worker module and thread count `options` give, or `undefined` when there is one thread or
 * no worker file (running from TypeScript sources): the work then runs in this thread. With a
 * module, its workers start loading now (`warmWorkers`): a runner is made before the evaluation
 * assigns slices and prepares its passes, so the workers are ready when the bootstrap starts.
 *
 * @example
 * workerModule({ threads: 2 }); // { url, threads: 2 }: the worker beside this module, once built
 */
export function workerModule(options: ReplicateThreadOptions): { url: URL; threads: number } | undefined {
  const threads = options.threads ?? availableParallelism();
  if (threads < 2) return undefined;
  const url = options.url ?? new URL(WORKER_FILE, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  warmWorkers(url, threads - 1, options.execArgv);
  return { url, threads };
}

/** One worker's share of the replicates, as `replicate-worker.ts` receives it. */
export interface ReplicateShare extends WorkerSignal {
  input: Omit<BootstrapInput, "passes"> & { passes: PassData[] };
  /** One shared array per model, the whole run's values; the share writes from `offset` on. */
  out: Float64Array[];
  offset: number;
}

/**
 * A `ReplicateRunner` that splits the replicates into one contiguous range per thread — this
 * thread takes the first, worker threads the others — and concatenates them. Each replicate's
 * weights depend only on (row, seed, replicate), and each worker rebuilds the same pass from its
 * shared arrays (`rowPassFrom`: a binary or a count pass), so the values are those of `bootstrapMetrics` in one thread,
 * bit for bit, whatever the thread count. `undefined` with one core or without the worker file
 * (running from TypeScript sources): the replicates then run in this thread. Passes without
 * shared data (multiclass, regression) also run here.
 *
 * This thread blocks (`Atomics.wait`) until every share is in, so `evaluate` stays synchronous. A
 * worker that throws fails the evaluation with its error; one that gives no sign for a minute
 * and 20 times this thread's own share is stopped and its range computed here (same numbers).
 *
 * @example
 * evaluate({ ...input, runReplicates: replicateThreads() }); // same Evaluation, sooner on 4 cores
 */
export function replicateThreads(options: ReplicateThreadOptions = {}): ReplicateRunner | undefined {
  const module = workerModule(options);
  if (!module) return undefined;
  const { url, threads } = module;
  return (input) => {
    const count = input.to - input.from;
    const data = input.passes.map((pass) => pass.data);
    if (count < 2 || !data.every((d): d is PassData => d !== undefined)) return bootstrapMetrics(input);
    // A binary pass builds its per-row losses on its second run; built here, before the shares
    // are posted, every worker reads this thread's shared arrays instead of building its own.
    for (const d of data) if (d.kind === "binary") rowLosses(d);
    const parts = Math.min(threads, count);
    const at = (i: number) => input.from + Math.floor((count * i) / parts);
    const width = input.groups.length * input.metrics.length;
    const out = data.map(() => new Float64Array(new SharedArrayBuffer(count * width * 8)));
    const rowHashes = new Uint32Array(new SharedArrayBuffer(input.rowHashes.byteLength));
    rowHashes.set(input.rowHashes);
    // Sample weights, like the row hashes, are read by every worker: shared, not copied per worker.
    const weights = input.weights
      ? new Float64Array(new SharedArrayBuffer(input.weights.byteLength))
      : undefined;
    weights?.set(input.weights!);
    const { passes: _, ...rest } = input;
    const workers = Array.from({ length: parts - 1 }, (_, w) => {
      const from = at(w + 1);
      const to = at(w + 2);
      const offset = (from - input.from) * width;
      const job: Omit<ReplicateShare, keyof WorkerSignal> = {
        input: { ...rest, rowHashes, ...(weights ? { weights } : {}), passes: data, from, to },
        out,
        offset,
      };
      return { started: startWorker(url, job, options.execArgv), from, to, offset };
    });
    const started = performance.now();
    const mine = bootstrapMetrics({ ...input, from: at(0), to: at(1) });
    mine.forEach((values, m) => {
      out[m]!.set(values);
    });
    const patience = options.patience ?? Math.max(60_000, 20 * (performance.now() - started));
    for (const { started, from, to, offset } of workers) {
      if (awaitWorker(started, patience, "a bootstrap worker") === "silent")
        bootstrapMetrics({ ...input, from, to }).forEach((values, m) => {
          out[m]!.set(values, offset);
        });
    }
    return out;
  };
}
