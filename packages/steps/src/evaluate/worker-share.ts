import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

/** Where `replicateThreads` and `influenceThreads` find their worker and how many threads they may use. */
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

/** What every job handed to `replicate-worker.ts` carries besides its work. */
export interface WorkerSignal {
  /** Set to 1 when the work is written, 2 when it failed (the error is posted on `port`). */
  done: Int32Array;
  port: MessagePort;
}

/** A started worker and the end of its channel this thread reads. */
export interface StartedWorker {
  worker: Worker;
  port: MessagePort;
  done: Int32Array;
  /** The pool the worker goes back to once done (see {@link startWorker}). */
  pool: Worker[];
}

/**
 * Idle workers per module and Node options, kept for the next job: a worker costs about 0.3 CPU-s
 * and as much wall time to start (it loads `@gauntlet/core`), and one evaluation hands out three
 * jobs (the influence moments, the score and the count replicates). At most the threads asked for
 * wait here, unreferenced (they do not keep the process alive); a failed or silent one is stopped
 * and dropped.
 */
const idle = new Map<string, Worker[]>();

function poolOf(url: URL, execArgv: string[] | undefined): Worker[] {
  const key = `${url.href} ${JSON.stringify(execArgv ?? null)}`;
  const pool = idle.get(key) ?? [];
  idle.set(key, pool);
  return pool;
}

function spawn(url: URL, execArgv: string[] | undefined, pool: Worker[]): Worker {
  const worker = new Worker(url, execArgv ? { execArgv } : {});
  worker.unref();
  // A worker that exits or crashes between jobs leaves the pool.
  const leave = () => {
    const at = pool.indexOf(worker);
    if (at >= 0) pool.splice(at, 1);
  };
  worker.on("exit", leave);
  worker.on("error", leave);
  return worker;
}

/**
 * Starts `count` workers of the module at `url` now, unless that many are idle already, so that
 * they load while this thread still works (e.g. assigns slices) and take their first job at once.
 *
 * @example
 * warmWorkers(url, 1, undefined); // one worker loading in the background
 */
export function warmWorkers(url: URL, count: number, execArgv: string[] | undefined): void {
  const pool = poolOf(url, execArgv);
  while (pool.length < count) pool.push(spawn(url, execArgv, pool));
}

/**
 * Hands `job` plus a fresh {@link WorkerSignal} to an idle worker of the module at `url` (one
 * started now when none is idle); the worker does not keep this process alive.
 *
 * @example
 * const started = startWorker(url, { input, out, offset }, undefined);
 * awaitWorker(started, 60_000, "a bootstrap worker"); // "done"
 */
export function startWorker<T extends object>(
  url: URL,
  job: T,
  execArgv: string[] | undefined,
): StartedWorker {
  const pool = poolOf(url, execArgv);
  const worker = pool.pop() ?? spawn(url, execArgv, pool);
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  worker.postMessage({ ...job, done, port: port2 }, [port2]);
  return { worker, port: port1, done, pool };
}

/**
 * Blocks until a worker of {@link startWorker} is done (`"done"`: it goes back to its pool), or
 * gives no sign for `patience` ms (`"silent"`: it is stopped, its work is the caller's to redo). A
 * worker that failed throws its error, named `what`.
 *
 * @example
 * if (awaitWorker(started, 60_000, "a bootstrap worker") === "silent") computeHere();
 */
export function awaitWorker(started: StartedWorker, patience: number, what: string): "done" | "silent" {
  const { worker, port, done, pool } = started;
  const state = Atomics.wait(done, 0, 0, patience);
  const status = Atomics.load(done, 0);
  try {
    if (status === 2) {
      const error = receiveMessageOnPort(port)?.message as { message: string; stack: string } | undefined;
      void worker.terminate();
      const failure = new Error(`${what} failed: ${error?.message ?? "no message"}`);
      failure.stack = `${failure.stack}\nin the worker: ${error?.stack ?? ""}`;
      throw failure;
    }
    if (status !== 1 || state === "timed-out") {
      void worker.terminate();
      return "silent";
    }
    pool.push(worker);
    return "done";
  } finally {
    port.close();
  }
}
