import { existsSync } from "node:fs";
import { gaussianMaxima, type MaximaJob, maximaHere } from "@gauntlet/core";
import { afterAll, describe, expect, it } from "vitest";
import { built, FAILING_WORKER, fakeWorker, removeFakeWorkers, WORKER } from "./fake-worker.test-helper.js";
import { maximaThreads } from "./maxima-threads.js";
import { awaitWorker, startWorker } from "./worker-share.js";

/** Five blocks as the sup-t intervals ask for them: correlated members, one without variance. */
const jobs: MaximaJob[] = [0, 1, 2, 3, 4].map((g) => ({
  covariance: Float64Array.of(1, 0.4 * g, 0, 0.4 * g, 2, 0, 0, 0, g === 2 ? 0 : 0.5),
  draws: 2000 + 100 * g,
  seed: `7/sup-t/${g}`,
}));
const alone = jobs.map((job) => gaussianMaxima(job.covariance, job.draws, job.seed));

afterAll(removeFakeWorkers);

describe("maximaThreads", () => {
  it("gives no runner on one core or without the worker file (the maxima are simulated here)", () => {
    expect(maximaThreads({ ...built, threads: 1 })).toBeUndefined();
    expect(maximaThreads({ url: new URL("file:///nonexistent/replicate-worker.js") })).toBeUndefined();
  });

  it.runIf(existsSync(WORKER))("gives the one-thread maxima bit for bit with 2 and 3 threads", () => {
    for (const threads of [2, 3]) expect(maximaThreads({ ...built, threads })!(jobs)()).toEqual(alone);
    // One job: simulated here, no worker.
    expect(maximaThreads({ ...built, threads: 2 })!(jobs.slice(0, 1))()).toEqual(alone.slice(0, 1));
  });

  it.runIf(existsSync(WORKER))("simulates every job in a worker as this thread does", () => {
    // The worker alone takes the jobs (this thread takes none): its maxima, not this thread's.
    const share = {
      maxima: jobs,
      out: alone.map((a) => new Float64Array(new SharedArrayBuffer(a.byteLength))),
      counter: new Int32Array(new SharedArrayBuffer(4)),
    };
    expect(awaitWorker(startWorker(WORKER, share, []), 60_000, "a maxima worker")).toBe("done");
    expect(Atomics.load(share.counter, 0)).toBeGreaterThan(jobs.length);
    expect(share.out).toEqual(alone);
  });

  it("fails with a worker's error, and simulates a silent worker's jobs here", () => {
    const failing = maximaThreads({ url: fakeWorker(FAILING_WORKER), threads: 2 })!;
    expect(() => failing(jobs)()).toThrow(/a maxima worker failed: out of cheese/);
    const silent = maximaThreads({ url: fakeWorker("export {};\n"), threads: 2, patience: 100 })!;
    expect(silent(jobs)()).toEqual(maximaHere(jobs)());
  });
});
