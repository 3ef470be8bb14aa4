// The worker thread of `workerLane` (see lane-messages.ts): it adds the rows the main thread has
// put in groups to the cell tables, and computes the exact ranking sums, as `createLaneWork`
// does. Bundled next to each action's index.js as evaluation-worker.js.

import { parentPort, workerData } from "node:worker_threads";
import { type BatchEvaluationSpec, createLaneWork } from "@gauntlet/core";
import type { LaneReply, LaneRequest } from "./lane-messages.js";

const port = parentPort;
if (port) {
  const work = createLaneWork((workerData as { spec: BatchEvaluationSpec }).spec);
  // An add or a sort has no reply: should one fail, the next request is answered with its error.
  let failed: unknown;
  const failure = (error: unknown): LaneReply["error"] => {
    const e = error instanceof Error ? error : new Error(String(error));
    return { name: e.name, message: e.message, stack: e.stack ?? "" };
  };
  port.on("message", (request: LaneRequest) => {
    if (request.type === "add" || request.type === "sort") {
      if (failed !== undefined) return;
      try {
        if (request.type === "add") work.add(request.rows, request.groupOf, request.groupCount);
        else work.sort(request.labels, request.models);
      } catch (error) {
        failed = error;
      }
      return;
    }
    const reply: LaneReply = { id: request.id };
    try {
      if (failed !== undefined) throw failed;
      if (request.type === "tables") reply.value = work.tables();
      else if (request.type === "ranking") {
        reply.value = work.ranking(request.fields, request.groups);
      }
    } catch (error) {
      reply.error = failure(error);
    }
    port.postMessage(reply);
  });
}
