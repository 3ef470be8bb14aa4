import { existsSync } from "node:fs";
import {
  BINARY_METRICS,
  bootstrapMetrics,
  type Column,
  evaluate,
  prepareCountPass,
  rowIdHash,
} from "@gauntlet/core";
import { afterAll, describe, expect, it } from "vitest";
import { built, FAILING_WORKER, fakeWorker, removeFakeWorkers, WORKER } from "./fake-worker.test-helper.js";
import { replicateThreads } from "./replicate-threads.js";

/**
 * Awkward rows: scores on a 0.01 grid squeezed into [0.48, 0.52] (ties everywhere, the threshold
 * inside the range), a baseline with its own ties, a tiny slice (3 rows) next to large ones.
 */
function rows(n: number) {
  let s = 11;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const baselineScores = new Float64Array(n);
  const region: string[] = [];
  const plan: string[] = [];
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.3 ? 1 : 0;
    scores[i] = 0.48 + Math.round((0.02 * labels[i]! + 0.02 * rnd()) * 100) / 100;
    baselineScores[i] = Math.round((0.3 * labels[i]! + 0.7 * rnd()) * 20) / 20;
    region.push(i < 3 ? "tiny" : ["AE", "SA", "EG"][Math.floor(rnd() * 3)]!);
    plan.push(rnd() < 0.5 ? "prepaid" : "postpaid");
  }
  const category = (values: string[]): Column => ({ kind: "category", values, nulls: new Uint8Array(n) });
  return {
    task: "binary" as const,
    labels,
    scores,
    baselineScores,
    rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`c-${i}`)),
    sliceColumns: new Map([
      ["region", category(region)],
      ["plan", category(plan)],
    ]),
    specs: ["region", "plan"],
    metrics: BINARY_METRICS,
    // Every binary metric, the operating walk's too: workers rebuild it from the pass's data.
    operating: { costs: { tp: 105, fp: -15, fn: 0, tn: 0 }, minPrecision: 0.6, targetTpr: 0.7, k: 20 },
    minSliceSize: 2,
    bootstrap: 101,
    seed: 5,
  };
}

afterAll(removeFakeWorkers);

describe("replicateThreads", () => {
  it("gives no runner on one core or without the worker file (the replicates run in this thread)", () => {
    expect(replicateThreads({ ...built, threads: 1 })).toBeUndefined();
    expect(replicateThreads({ url: new URL("file:///nonexistent/replicate-worker.js") })).toBeUndefined();
  });

  it.runIf(existsSync(WORKER))(
    "gives the one-thread evaluation bit for bit with 2 and 3 threads (ties, a narrow score range, a 3-row slice)",
    () => {
      const input = rows(3000);
      const alone = evaluate(input);
      for (const threads of [2, 3]) {
        const runner = replicateThreads({ ...built, threads });
        expect(runner).toBeDefined();
        let shared = false;
        const threaded = evaluate({
          ...rows(3000),
          runReplicates: (job) => {
            const values = runner!(job);
            // Split over threads, the values come back in shared memory.
            shared = values.every((v) => v.buffer instanceof SharedArrayBuffer);
            return values;
          },
        });
        expect(shared).toBe(true);
        expect(JSON.stringify(threaded)).toBe(JSON.stringify(alone));
      }
      expect(alone.slices.find((s) => s.key.region === "tiny")?.n).toBe(3);
    },
  );

  it.runIf(existsSync(WORKER))(
    "gives the one-thread evaluation bit for bit with sample weights (shared with the workers)",
    () => {
      const weights = Float64Array.from({ length: 3000 }, (_, i) => [0, 0.5, 1, 2.25, 7][(i * 7) % 5]!);
      const alone = evaluate({ ...rows(3000), weights });
      expect(JSON.stringify(alone)).not.toBe(JSON.stringify(evaluate(rows(3000))));
      const runner = replicateThreads({ ...built, threads: 3 });
      let shared = false;
      const threaded = evaluate({
        ...rows(3000),
        weights,
        runReplicates: (job) => {
          shared = job.weights !== undefined;
          return runner!(job);
        },
      });
      expect(shared).toBe(true);
      expect(JSON.stringify(threaded)).toBe(JSON.stringify(alone));
    },
  );

  it.runIf(existsSync(WORKER))(
    "runs a count pass's replicates in the workers too, bit for bit (rebuilt from its shared arrays)",
    () => {
      const input = rows(3000);
      const groupIds = [new Uint8Array(3000), Uint8Array.from({ length: 3000 }, (_, i) => 1 + (i % 3))];
      const passes = [input.scores, input.baselineScores].map((scores) =>
        prepareCountPass({ labels: input.labels, scores, groupIds, groups: 4 }, 0.5, [1, 3]),
      );
      expect(passes.every((p) => p.data?.kind === "count")).toBe(true);
      const job = {
        task: "binary" as const,
        passes,
        metrics: ["precision", "f1", "accuracy"] as const,
        groups: [1, 3],
        rowHashes: input.rowIds,
        seed: 5,
        from: 0,
        to: 61,
      };
      const alone = bootstrapMetrics({ ...job, metrics: [...job.metrics] });
      const threaded = replicateThreads({ ...built, threads: 3 })!({ ...job, metrics: [...job.metrics] });
      expect(threaded.every((v) => v.buffer instanceof SharedArrayBuffer)).toBe(true);
      expect(threaded.map((v) => [...v])).toEqual(alone.map((v) => [...v]));
    },
  );

  it("computes a silent worker's range here, with the same numbers", () => {
    const input = rows(800);
    const runner = replicateThreads({ url: fakeWorker("export {};\n"), threads: 3, patience: 200 });
    expect(JSON.stringify(evaluate({ ...input, runReplicates: runner }))).toBe(
      JSON.stringify(evaluate(rows(800))),
    );
  });

  it("fails the evaluation with a worker's error", () => {
    const url = fakeWorker(FAILING_WORKER);
    const runner = replicateThreads({ url, threads: 2 });
    expect(() => evaluate({ ...rows(200), runReplicates: runner })).toThrow(
      /a bootstrap worker failed: out of cheese/,
    );
  });
});
