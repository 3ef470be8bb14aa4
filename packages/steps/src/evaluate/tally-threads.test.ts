import { existsSync } from "node:fs";
import { prepareBinaryPass, tallyHere } from "@gauntlet/core";
import { afterAll, describe, expect, it } from "vitest";
import { built, FAILING_WORKER, fakeWorker, removeFakeWorkers, WORKER } from "./fake-worker.test-helper.js";
import { tallyThreads } from "./tally-threads.js";

/** A binary pass over 2,000 rows with ties (scores on a 0.05 grid) in two groupings, operating metrics on. */
function pass() {
  const labels = Float64Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 10 < 3 ? 1 : 0));
  const scores = labels.map((y, i) => Math.round((0.25 + 0.4 * y + 0.5 * Math.abs(Math.sin(i))) * 20) / 20);
  const groupIds = [new Uint8Array(2000), Uint8Array.from({ length: 2000 }, (_, i) => 1 + (i % 3))];
  return prepareBinaryPass({ labels, scores, groupIds, groups: 4 }, 0.5, {});
}
const weights = Float64Array.from({ length: 2000 }, (_, i) => (i % 7 === 0 ? 0 : 0.5 + (i % 4)));

afterAll(removeFakeWorkers);

describe("tallyThreads", () => {
  it("gives no runner on one core or without the worker file (passes run in this thread)", () => {
    expect(tallyThreads({ ...built, threads: 1 })).toBeUndefined();
    expect(tallyThreads({ url: new URL("file:///nonexistent/replicate-worker.js") })).toBeUndefined();
  });

  it.runIf(existsSync(WORKER))(
    "gives this thread's tally bit for bit, with and without sample weights",
    () => {
      const runner = tallyThreads({ ...built, threads: 2 })!;
      for (const w of [null, weights]) {
        const here = tallyHere(pass(), w)();
        const there = runner(pass(), w)();
        expect(there.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(there).toEqual(here);
        expect(here.some((v) => v !== 0)).toBe(true);
      }
    },
  );

  it("fails with a worker's error, and runs a silent worker's pass here", () => {
    const failing = tallyThreads({ url: fakeWorker(FAILING_WORKER), threads: 2 })!;
    expect(() => failing(pass(), null)()).toThrow(/a tally worker failed: out of cheese/);
    const silent = tallyThreads({ url: fakeWorker("export {};\n"), threads: 2, patience: 100 })!;
    expect(silent(pass(), weights)()).toEqual(tallyHere(pass(), weights)());
  });
});
