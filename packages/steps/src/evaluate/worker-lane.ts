import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { BatchEvaluationSpec, CellLane, StateTables } from "@gauntlet/core";
import type { LaneReply, LaneRequest } from "./lane-messages.js";

/**
 * The worker's file name, next to this module: `dist/evaluate/` in the package, and next to the
 * bundle in an action's `dist/` (the build bundles it there). A variable, so that the bundler
 * leaves the URL alone instead of copying a source file as an asset.
 */
const WORKER_FILE = "evaluation-worker.js";

/** Where {@link workerLane} finds its worker. */
export interface WorkerLaneOptions {
  /** The worker module. Default: `evaluation-worker.js` beside this module (or the bundle). */
  url?: URL;
  /** Cores to count on. Default: `availableParallelism()`. */
  cores?: number;
  /** The worker's Node options. Default: this process's (`process.execArgv`). */
  execArgv?: string[];
}

/**
 * A {@link CellLane} in a worker thread, or `undefined` when there is one core or no worker file
 * (running from TypeScript sources, as the unit tests do): the evaluation then runs in this
 * thread alone, with the same result. The worker does not keep the process alive while it has
 * no request to answer, so a lane that is never closed does not hold up the exit; a worker
 * that fails rejects the pending request (and every later one) with its error.
 *
 * @example
 * const batches = createBatchEvaluation(spec, workerLane(spec));
 */
export function workerLane(spec: BatchEvaluationSpec, options: WorkerLaneOptions = {}): CellLane | undefined {
  if ((options.cores ?? availableParallelism()) < 2) return undefined;
  const url = options.url ?? new URL(WORKER_FILE, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  const worker = new Worker(url, {
    workerData: { spec },
    ...(options.execArgv ? { execArgv: options.execArgv } : {}),
  });
  worker.unref();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let failure: Error | undefined;
  let closed = false;
  let next = 0;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
    worker.unref();
  };
  worker.on("message", (reply: LaneReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.error) {
      const error = new Error(`the evaluation worker failed: ${reply.error.message}`);
      error.stack = `${error.stack}\nin the worker: ${reply.error.stack}`;
      waiting.reject(error);
    } else {
      waiting.resolve(reply.value);
    }
  });
  worker.on("error", (error) => fail(new Error(`the evaluation worker failed: ${error.message}`)));
  worker.on("exit", (code) => {
    if (!closed) fail(new Error(`the evaluation worker stopped (exit code ${code})`));
  });
  const request = <T>(message: (id: number) => LaneRequest): Promise<T> => {
    if (closed) return Promise.reject(new Error("the evaluation lane is closed"));
    if (failure) return Promise.reject(failure);
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage(message(id));
    });
  };
  return {
    add(rows, groupOf, groupCount) {
      if (closed || failure) return;
      worker.postMessage({ type: "add", rows, groupOf, groupCount } satisfies LaneRequest);
    },
    idle: () => request<void>((id) => ({ type: "idle", id })),
    tables: () => request<StateTables>((id) => ({ type: "tables", id })),
    sort(labels, models) {
      if (closed || failure) return;
      worker.postMessage({ type: "sort", labels, models } satisfies LaneRequest);
    },
    ranking: (fields, groups) => request<Float64Array[]>((id) => ({ type: "ranking", id, fields, groups })),
    close() {
      if (closed) return;
      closed = true;
      fail(new Error("the evaluation lane is closed"));
      void worker.terminate();
    },
  };
}
