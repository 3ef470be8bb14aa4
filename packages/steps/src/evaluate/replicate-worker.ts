// The worker thread of `replicateThreads` and `influenceThreads`, kept between jobs (see
// `startWorker`): each message is one job. A replicate share rebuilds the passes from their shared
// arrays, runs its range of replicates and writes the values into the shared output; an influence
// share takes chunks of the influence moments until none is left; a walk share makes one chunk's
// rank walks into shared memory; a maxima share takes the sup-t blocks' simulations
// (`maximaThreads`) until none is left; a tally share runs a pass once (`tallyThreads`).
// Bundled next to each evaluating action's index.js as replicate-worker.js.

import { parentPort } from "node:worker_threads";
import { bootstrapMetrics, chunkWalks, rowPassFrom, runChunks, runMaxima } from "@gauntlet/core";
import type { InfluenceShare, WalkShare } from "./influence-threads.js";
import type { MaximaShare } from "./maxima-threads.js";
import type { ReplicateShare } from "./replicate-threads.js";
import type { TallyShare } from "./tally-threads.js";

parentPort?.on("message", (share: ReplicateShare | InfluenceShare | WalkShare | MaximaShare | TallyShare) => {
  try {
    if ("plan" in share) runChunks(share.plan, () => Atomics.add(share.counter, 0, 1));
    else if ("maxima" in share) runMaxima(share.maxima, share.out, () => Atomics.add(share.counter, 0, 1));
    else if ("tally" in share) rowPassFrom(share.tally).run(share.weights, share.out);
    else if ("walk" in share)
      chunkWalks(share.walk, share.rank).forEach((squares, m) => {
        share.squares[m]!.set(squares);
      });
    else {
      const values = bootstrapMetrics({ ...share.input, passes: share.input.passes.map(rowPassFrom) });
      values.forEach((v, m) => {
        share.out[m]!.set(v, share.offset);
      });
    }
    Atomics.store(share.done, 0, 1);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    share.port.postMessage({ message: e.message, stack: e.stack ?? "" });
    Atomics.store(share.done, 0, 2);
  }
  Atomics.notify(share.done, 0);
  share.port.close();
});
