import { type MaximaJob, type MaximaRunner, maximaHere, maximaLength, runMaxima } from "@gauntlet/core";
import { workerModule } from "./replicate-threads.js";
import { awaitWorker, type ReplicateThreadOptions, startWorker, type WorkerSignal } from "./worker-share.js";

/** A worker's part in the simulated maxima, as `replicate-worker.ts` receives it. */
export interface MaximaShare extends WorkerSignal {
  maxima: readonly MaximaJob[];
  /** Job j's maxima, in shared memory (`maximaLength` long). */
  out: Float64Array[];
  /** The next job to take, shared by every thread. */
  counter: Int32Array;
}

/**
 * A `MaximaRunner` that hands the sup-t blocks' simulations (`gaussianMaxima`, about 10 CPU-ms a
 * block of 20,000 draws) to worker threads (the bootstrap's worker module) at once, while this
 * thread goes on with the models' intervals; asked for the maxima, this thread takes the jobs no
 * worker has taken, then waits for the rest. Each job is simulated whole by one thread, from its
 * own seed: the same maxima as in one thread, bit for bit. `undefined` with one core or without
 * the worker file; fewer than two jobs run here. A worker that throws fails the evaluation; one
 * silent for a minute and 20 times this thread's own share is stopped and every job rerun here.
 *
 * @example
 * evaluate({ ...input, runMaxima: maximaThreads() }); // same Evaluation, its sup-t maxima off this thread
 */
export function maximaThreads(options: ReplicateThreadOptions = {}): MaximaRunner | undefined {
  const module = workerModule(options);
  if (!module) return undefined;
  const { url, threads } = module;
  return (jobs) => {
    if (jobs.length < 2) return maximaHere(jobs);
    const share = {
      maxima: jobs,
      out: jobs.map((job) => new Float64Array(new SharedArrayBuffer(8 * maximaLength(job)))),
      counter: new Int32Array(new SharedArrayBuffer(4)),
    };
    const workers = Array.from({ length: Math.min(threads, jobs.length) - 1 }, () =>
      startWorker(url, share, options.execArgv),
    );
    return () => {
      const started = performance.now();
      runMaxima(jobs, share.out, () => Atomics.add(share.counter, 0, 1));
      const patience = options.patience ?? Math.max(60_000, 20 * (performance.now() - started));
      const silent = workers
        .map((w) => awaitWorker(w, patience, "a maxima worker"))
        .some((state) => state === "silent");
      // A silent worker may have taken a job and written part of it: every job again, here.
      return silent ? maximaHere(jobs)() : share.out;
    };
  };
}
