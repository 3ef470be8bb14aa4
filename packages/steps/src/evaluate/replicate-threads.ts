import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { type BootstrapInput, bootstrapMetrics, type PassData, type ReplicateRunner } from "@gauntlet/core";

/**
 * The worker's file name, next to this module: `dist/evaluate/` in the package, and next to the
 * bundle in an action's `dist/` (scripts/build.mjs bundles it there). A variable, so that the
 * bundler leaves the URL alone instead of copying a source file as an asset.
 */
const WORKER_FILE = "replicate-worker.js";

/** One worker's share of the replicates, as `replicate-worker.ts` receives it. */
export interface ReplicateShare {
  input: Omit<BootstrapInput, "passes"> & { passes: PassData[] };
  /** One shared array per model, the whole run's values; the share writes from `offset` on. */
  out: Float64Array[];
  offset: number;
  /** Set to 1 when the share is written, 2 when it failed (the error is posted on `port`). */
  done: Int32Array;
  port: MessagePort;
}

/** Where {@link replicateThreads} finds its worker and how many threads it may use. */
export interface ReplicateThreadOptions {
  /** The worker module. Default: `replicate-worker.js` beside this module (or the bundle). */
  url?: URL;
  /** Threads, this one included. Default: `availableParallelism()`. */
  threads?: number;
  /** The workers' Node options. Default: this process's (`process.execArgv`). */
  execArgv?: string[];
  /** How long to wait for a silent worker, ms. Default: a minute, or 20 times this thread's share. */
  patience?: number;
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
  const threads = options.threads ?? availableParallelism();
  if (threads < 2) return undefined;
  const url = options.url ?? new URL(WORKER_FILE, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  return (input) => {
    const count = input.to - input.from;
    const data = input.passes.map((pass) => pass.data);
    if (count < 2 || !data.every((d): d is PassData => d !== undefined)) return bootstrapMetrics(input);
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
      const { port1, port2 } = new MessageChannel();
      const share: ReplicateShare = {
        input: { ...rest, rowHashes, ...(weights ? { weights } : {}), passes: data, from, to },
        out,
        offset: (from - input.from) * width,
        done: new Int32Array(new SharedArrayBuffer(4)),
        port: port2,
      };
      const worker = new Worker(url, {
        workerData: share,
        transferList: [port2],
        ...(options.execArgv ? { execArgv: options.execArgv } : {}),
      });
      worker.unref();
      return { worker, port: port1, share, from, to };
    });
    const started = performance.now();
    const mine = bootstrapMetrics({ ...input, from: at(0), to: at(1) });
    mine.forEach((values, m) => {
      out[m]!.set(values);
    });
    const patience = options.patience ?? Math.max(60_000, 20 * (performance.now() - started));
    for (const { worker, port, share, from, to } of workers) {
      const state = Atomics.wait(share.done, 0, 0, patience);
      const status = Atomics.load(share.done, 0);
      if (status === 2) {
        const error = receiveMessageOnPort(port)?.message as { message: string; stack: string } | undefined;
        void worker.terminate();
        const failure = new Error(`a bootstrap worker failed: ${error?.message ?? "no message"}`);
        failure.stack = `${failure.stack}\nin the worker: ${error?.stack ?? ""}`;
        throw failure;
      }
      if (status !== 1 || state === "timed-out") {
        void worker.terminate();
        bootstrapMetrics({ ...input, from, to }).forEach((values, m) => {
          out[m]!.set(values, share.offset);
        });
      }
      port.close();
    }
    return out;
  };
}
