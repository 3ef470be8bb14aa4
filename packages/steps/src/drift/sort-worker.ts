// The worker thread of `sortThreads`, kept between jobs (see `startWorker`): each message is one
// round of values (arrays laid end to end in a shared buffer), sorted in place with `sortFloat64`.
// Bundled next to drift-check's index.js as sort-worker.js.

import { parentPort } from "node:worker_threads";
// The sort alone, not the package index: loading all of @gauntlet/core costs a worker ~0.4 CPU-s.
import { sortFloat64 } from "@gauntlet/core/sort-float64";
import type { WorkerSignal } from "../evaluate/worker-share.js";
import type { SortRound } from "./sort-threads.js";

// The sort's scratch words, kept between rounds (a new one per array left the drift bench's
// worker holding ~40 MB of them until its next GC, while the log was still read).
let words = new Uint32Array(0);

parentPort?.on("message", (job: SortRound & WorkerSignal) => {
  let status = 1;
  try {
    let at = 0;
    for (const n of job.lengths) {
      if (words.length < 2 * n) words = new Uint32Array(2 * n);
      sortFloat64(job.scratch.subarray(at, at + n), words);
      at += n;
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    job.port.postMessage({ message: e.message, stack: e.stack ?? "" });
    status = 2;
  }
  Atomics.store(job.done, 0, status);
  Atomics.notify(job.done, 0);
  job.port.close();
});
