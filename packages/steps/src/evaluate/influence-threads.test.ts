import { existsSync } from "node:fs";
import {
  INFLUENCE_METRICS,
  type InfluenceRunner,
  influenceMoments,
  type MetricName,
  prepareBinaryPass,
} from "@gauntlet/core";
import { afterAll, describe, expect, it } from "vitest";
import { built, FAILING_WORKER, fakeWorker, removeFakeWorkers, WORKER } from "./fake-worker.test-helper.js";
import { copyWritten, influenceThreads, sharedPlan } from "./influence-threads.js";
import { awaitWorker, startWorker } from "./worker-share.js";

/**
 * Two models' passes over awkward rows (scores on a 0.05 grid: ties everywhere; a 4-row group) in
 * three groupings: overall (group 0), region (1–3), plan (4–5); and the moments' input with one
 * grouping per chunk (`rankBytes` of one grouping's rank arrays), so that there are chunks to share.
 */
function momentsInput(n: number) {
  let s = 3;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const labels = Float64Array.from({ length: n }, () => (rnd() < 0.35 ? 1 : 0));
  const scores = [0.3, 0.6].map((noise) =>
    labels.map((y) => Math.min(1, Math.round((0.2 + 0.4 * y * (1 - noise) + noise * rnd()) * 20) / 20)),
  );
  const groupIds = [
    new Uint8Array(n),
    Uint8Array.from({ length: n }, (_, i) => (i < 4 ? 3 : 1 + (i % 2))),
    Uint8Array.from({ length: n }, () => (rnd() < 0.5 ? 4 : 5)),
  ];
  const passes = scores.map((sc) => prepareBinaryPass({ labels, scores: sc, groupIds, groups: 6 }, 0.5));
  return {
    models: passes.map((p) => p.data),
    labels,
    scores,
    threshold: 0.5,
    metrics: [...INFLUENCE_METRICS] as MetricName[],
    groups: [0, 1, 2, 3, 4, 5],
    rowGroups: groupIds,
    value: (m: number, g: number, name: MetricName) => ((m + 1) * (g + 3) * name.length) / 97,
    rankBytes: 16 * n,
  };
}

afterAll(removeFakeWorkers);

describe("influenceThreads", () => {
  it("gives no runner on one core or without the worker file (the chunks run in this thread)", () => {
    expect(influenceThreads({ ...built, threads: 1 })).toBeUndefined();
    expect(influenceThreads({ url: new URL("file:///nonexistent/replicate-worker.js") })).toBeUndefined();
  });

  it.runIf(existsSync(WORKER))("gives the one-thread moments bit for bit with 2 and 3 threads", () => {
    const alone = influenceMoments(momentsInput(1500));
    // One chunk for every grouping: the same moments.
    expect(influenceMoments({ ...momentsInput(1500), rankBytes: 2 ** 27 })).toEqual(alone);
    for (const threads of [2, 3]) {
      const threaded = influenceMoments(momentsInput(1500), influenceThreads({ ...built, threads })!);
      expect(threaded).toEqual(alone);
    }
    expect(alone.get(3)!.covariance!.some((v) => v !== 0)).toBe(true);
  });

  it.runIf(existsSync(WORKER))("computes every chunk in a worker as this thread does", () => {
    // The worker alone takes the chunks (this thread takes none): its sums, not this thread's.
    const inWorker: InfluenceRunner = (plan) => {
      const job = { plan: sharedPlan(plan), counter: new Int32Array(new SharedArrayBuffer(4)) };
      expect(awaitWorker(startWorker(WORKER, job, []), 60_000, "an influence worker")).toBe("done");
      expect(Atomics.load(job.counter, 0)).toBeGreaterThanOrEqual(plan.chunks.length);
      copyWritten(job.plan, plan);
    };
    expect(influenceMoments(momentsInput(1500), inWorker)).toEqual(influenceMoments(momentsInput(1500)));
  });

  it.runIf(existsSync(WORKER))(
    "walks the next chunk in a worker when chunks are too wide to copy, bit for bit, with sample weights too",
    () => {
      const weights = Float64Array.from({ length: 1500 }, (_, i) => (i % 11 === 0 ? 0 : 0.5 + (i % 3)));
      for (const input of [momentsInput(1500), { ...momentsInput(1500), weights }]) {
        const alone = influenceMoments(input);
        const runner = influenceThreads({ ...built, threads: 2, rankBytes: 16 * 1500 - 1 })!;
        expect(influenceMoments(input, runner)).toEqual(alone);
      }
    },
  );

  it("walks ahead in the worker: its error fails the evaluation; a silent one's walks are made here", () => {
    const failing = influenceThreads({ url: fakeWorker(FAILING_WORKER), threads: 2, rankBytes: 1 });
    expect(() => influenceMoments(momentsInput(300), failing)).toThrow(
      /an influence worker failed: out of cheese/,
    );
    const silent = influenceThreads({
      url: fakeWorker("export {};\n"),
      threads: 2,
      patience: 100,
      rankBytes: 1,
    });
    expect(influenceMoments(momentsInput(300), silent)).toEqual(influenceMoments(momentsInput(300)));
  });

  it("recomputes every chunk here when a worker is silent, with the same numbers", () => {
    const runner = influenceThreads({ url: fakeWorker("export {};\n"), threads: 2, patience: 200 });
    expect(influenceMoments(momentsInput(300), runner)).toEqual(influenceMoments(momentsInput(300)));
  });

  it("fails with a worker's error", () => {
    const url = fakeWorker(FAILING_WORKER);
    const runner = influenceThreads({ url, threads: 2 });
    expect(() => influenceMoments(momentsInput(300), runner)).toThrow(
      /an influence worker failed: out of cheese/,
    );
  });
});
