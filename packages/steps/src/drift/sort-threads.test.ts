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
        sort.sortValues(got);
        expectSortedHere(got, seed);
      }
    }
  });

  it("sorts here what a silent worker was given, and throws a failed worker's error", () => {
    const silent = sortThreads({ url: fakeWorker("export {};\n"), threads: 2, patience: 200 })!;
    const got = arrays(3);
    silent.sortValues(got);
    expectSortedHere(got, 3);
    const failing = sortThreads({ url: fakeWorker(FAILING_WORKER), threads: 2 })!;
    expect(() => failing.sortValues(arrays(4))).toThrow(/a sorting worker failed: out of cheese/);
  });

  it.runIf(existsSync(WORKER))(
    "sorts presorted arrays while this thread goes on, and again those grown since, bit for bit",
    () => {
      for (const round of [1_000_000, 30_000]) {
        const sort = sortThreads(built, round)!;
        // Each array sits at the start of a buffer with room for 1,000 more values.
        const buffers = arrays(5).map((a) => {
          const room = new Float64Array(a.length + 1_000);
          room.set(a);
          return room;
        });
        const views = buffers.map((b) => b.subarray(0, b.length - 1_000));
        sort.presortValues(views.slice(0, 3));
        sort.presortValues([]);
        sort.presortValues(views.slice(3));
        // The first array grows after it was handed over: its new values come unsorted.
        buffers[0]!.set(arrays(6)[4]!.subarray(0, 1_000), views[0]!.length);
        const final = [buffers[0]!, ...views.slice(1)];
        sort.sortValues(final);
        const expected = [
          sortFloat64(Float64Array.from([...arrays(5)[0]!, ...arrays(6)[4]!.subarray(0, 1_000)])),
          ...arrays(5)
            .slice(1)
            .map((a) => sortFloat64(a)),
        ];
        final.forEach((a, i) => {
          expect(a.findIndex((v, j) => !Object.is(v, expected[i]![j]))).toBe(-1);
        });
      }
    },
  );

  it("sorts here what a silent worker was given early", () => {
    const silent = sortThreads({ url: fakeWorker("export {};\n"), threads: 2, patience: 200 })!;
    const got = arrays(7);
    silent.presortValues(got.slice(0, 4));
    silent.presortValues(got.slice(4));
    silent.sortValues(got);
    expectSortedHere(got, 7);
  });

  it.runIf(existsSync(WORKER))(
    "sorts segment sketch blocks in the worker, settles the oldest past 16, and never leaves one out",
    () => {
      const sort = sortThreads(built)!;
      const rng = createRng(8);
      const blocks = Array.from({ length: 20 }, () =>
        Float64Array.from({ length: 16_384 }, () => rng.next()),
      );
      const copies = blocks.map((b) => b.slice());
      const settled: number[] = [];
      for (const [i, block] of blocks.entries()) {
        sort.presortBlock(block, () => {
          settled.push(i);
        });
      }
      expect(settled).toEqual([0, 1, 2, 3]);
      // The first block went to the worker at once; sortValues waits for its round.
      sort.sortValues([]);
      expect(blocks[0]).toEqual(sortFloat64(copies[0]!));
      // Each block holds its own values, sorted or not yet.
      blocks.forEach((b, i) => {
        expect(sortFloat64(b.slice())).toEqual(sortFloat64(copies[i]!));
      });
      // A block the worker sorted is not left out as a presorted window would be.
      blocks[0]!.set(copies[0]!);
      sort.sortValues([blocks[0]!]);
      expect(blocks[0]).toEqual(sortFloat64(copies[0]!));
    },
  );
});
