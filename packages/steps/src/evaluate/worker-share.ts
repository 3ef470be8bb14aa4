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
}

/**
 * Starts the worker module at `url` on `job` plus a fresh {@link WorkerSignal}; it does not keep
 * this process alive.
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
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(url, {
    workerData: { ...job, done, port: port2 },
    transferList: [port2],
    ...(execArgv ? { execArgv } : {}),
  });
  worker.unref();
  return { worker, port: port1, done };
}

/**
 * Blocks until a worker of {@link startWorker} is done (`"done"`), or gives no sign for `patience`
 * ms (`"silent"`: it is stopped, its work is the caller's to redo). A worker that failed throws
 * its error, named `what`.
 *
 * @example
 * if (awaitWorker(started, 60_000, "a bootstrap worker") === "silent") computeHere();
 */
export function awaitWorker(started: StartedWorker, patience: number, what: string): "done" | "silent" {
  const { worker, port, done } = started;
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
    return "done";
  } finally {
    port.close();
  }
}
