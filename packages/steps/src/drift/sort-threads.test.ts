import { existsSync } from "node:fs";
import { createRng, sortFloat64 } from "@gauntlet/core";
import { afterAll, describe, expect, it } from "vitest";
import { FAILING_WORKER, fakeWorker, removeFakeWorkers } from "../evaluate/fake-worker.test-helper.js";
import { sortThreads } from "./sort-threads.js";

// The built worker: tests run from sources, where there is no worker beside sort-threads.ts.
const WORKER = new URL("../../dist/drift/sort-worker.js", import.meta.url);
const built = { url: WORKER, execArgv: [] as string[], threads: 2 };

afterAll(removeFakeWorkers);

/** Window-like arrays: ties, ±0, sizes on both sides of the radix sort's 16,384. */
function arrays(seed: number): Float64Array[] {
  const rng = createRng(seed);
  return [50_000, 3, 20_000, 16_384, 70_001, 0, 9_000].map((n) =>
    Float64Array.from({ length: n }, () => {
      const u = rng.next();
      return u < 0.05 ? -0 : u < 0.1 ? 0 : Math.round((u - 0.5) * 4000) / 7;
    }),
  );
}

function expectSortedHere(got: Float64Array[], seed: number): void {
  const expected = arrays(seed).map((a) => sortFloat64(a));
  got.forEach((a, i) => {
    const first = a.findIndex((v, j) => !Object.is(v, expected[i]![j]));
    expect(first).toBe(-1);
  });
}

describe("sortThreads", () => {
  it("gives no sorter on one core or without the worker file", () => {
    expect(sortThreads({ ...built, threads: 1 })).toBeUndefined();
    expect(sortThreads({ url: new URL("file:///nonexistent/sort-worker.js"), threads: 2 })).toBeUndefined();
  });

  it.runIf(existsSync(WORKER))("sorts as this thread does, bit for bit, in one round or several", () => {
    for (const round of [1_000_000, 30_000]) {
      const sort = sortThreads(built, round)!;
      for (const seed of [1, 2]) {
        const got = arrays(seed);
        sort(got);
        expectSortedHere(got, seed);
      }
    }
  });

  it("sorts here what a silent worker was given, and throws a failed worker's error", () => {
    const silent = sortThreads({ url: fakeWorker("export {};\n"), threads: 2, patience: 200 })!;
    const got = arrays(3);
    silent(got);
    expectSortedHere(got, 3);
    const failing = sortThreads({ url: fakeWorker(FAILING_WORKER), threads: 2 })!;
    expect(() => failing(arrays(4))).toThrow(/a sorting worker failed: out of cheese/);
  });
});
