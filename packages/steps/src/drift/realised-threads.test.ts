import { existsSync } from "node:fs";
import { createRng, realisedMetrics } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { replicateThreads } from "../evaluate/replicate-threads.js";

// The built worker, as in replicate-threads.test.ts (sources have no worker file beside them).
const WORKER = new URL("../../dist/evaluate/replicate-worker.js", import.meta.url);

describe("drift-check's realised metrics on worker threads", () => {
  it.runIf(existsSync(WORKER))(
    "equal one thread's bit for bit (ties, the threshold inside a narrow score range)",
    () => {
      const rng = createRng(5);
      const rnd = () => rng.next();
      const n = 20_000;
      const labels = Float64Array.from({ length: n }, () => (rnd() < 0.3 ? 1 : 0));
      const scores = labels.map((y) => 0.48 + Math.round((0.02 * y + 0.03 * rnd()) * 100) / 100);
      const runner = replicateThreads({ url: WORKER, execArgv: [], threads: 2 });
      let shared = false;
      const threaded = realisedMetrics(scores, labels, {
        threshold: 0.5,
        runReplicates: (job) => {
          const values = runner!(job);
          shared = values.every((v) => v.buffer instanceof SharedArrayBuffer);
          return values;
        },
      });
      expect(shared).toBe(true);
      expect(threaded).toEqual(realisedMetrics(scores, labels, { threshold: 0.5 }));
      expect(threaded.roc_auc!.ci).not.toBeNull();
    },
  );
});
