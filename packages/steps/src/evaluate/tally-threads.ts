import { type PassData, type TallyRunner, tallyHere } from "@gauntlet/core";
import { workerModule } from "./replicate-threads.js";
import { awaitWorker, type ReplicateThreadOptions, startWorker, type WorkerSignal } from "./worker-share.js";

/** A pass's point run, as `replicate-worker.ts` receives it. */
export interface TallyShare extends WorkerSignal {
  tally: PassData;
  /** In shared memory; `null` = all 1. */
  weights: Float64Array | null;
  /** The tally, in shared memory. */
  out: Float64Array;
}

/**
 * A `TallyRunner` that runs a pass once on a worker thread (the bootstrap's worker module), which
 * rebuilds it from its shared arrays (`rowPassFrom`, as the replicate workers do) and writes its
 * tally into shared memory: the candidate's point values come in while this thread prepares the
 * baseline's pass (one sort of the rows; at the 1M bench each is ~0.2 CPU-s). The same pass code
 * on the same arrays: the same tally, bit for bit. `undefined` with one core or without the worker
 * file; a pass without shared arrays (multiclass, regression) runs here. A worker that throws fails
 * the evaluation; one silent for a minute is stopped and the pass run here.
 *
 * @example
 * evaluate({ ...input, runTally: tallyThreads() }); // same Evaluation
 */
export function tallyThreads(options: ReplicateThreadOptions = {}): TallyRunner | undefined {
  const module = workerModule(options);
  if (!module) return undefined;
  return (pass, weights) => {
    if (!pass.data) return tallyHere(pass, weights);
    let shared: Float64Array | null = null;
    if (weights) {
      shared = new Float64Array(new SharedArrayBuffer(weights.byteLength));
      shared.set(weights);
    }
    const out = new Float64Array(new SharedArrayBuffer(8 * pass.groups * pass.tallySize));
    const job: Omit<TallyShare, keyof WorkerSignal> = { tally: pass.data, weights: shared, out };
    const started = startWorker(module.url, job, options.execArgv);
    return () => {
      if (awaitWorker(started, options.patience ?? 60_000, "a tally worker") === "silent")
        return tallyHere(pass, weights)();
      return out;
    };
  };
}
