import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRng, sortFloat64 } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { sortRound } from "../packages/steps/src/drift/sort-threads.js";
import { awaitWorker, startWorker } from "../packages/steps/src/evaluate/worker-share.js";

// The worker that drift-check's bundle starts (scripts/build.mjs bundles it beside index.js):
// given a round of window values as `sortThreads` hands them out, it must sort each array in this
// thread's order, bit for bit, and say it is done.
const WORKER = join(import.meta.dirname, "..", "actions", "drift-check", "dist", "sort-worker.js");

describe("the bundled sort worker", () => {
  it("sits beside drift-check's bundle and sorts its share as this thread does", () => {
    expect(existsSync(WORKER)).toBe(true);
    const rng = createRng(9);
    const make = () =>
      [40_000, 17_000, 5, 90_000].map((n) =>
        Float64Array.from({ length: n }, () => {
          const u = rng.next();
          return u < 0.1 ? (u < 0.05 ? -0 : 0) : Math.round((u - 0.5) * 1e5) / 3;
        }),
      );
    const arrays = make();
    const expected = arrays.map((a) => sortFloat64(a.slice()));
    const job = sortRound(arrays);
    const started = startWorker(pathToFileURL(WORKER), job, []);
    expect(awaitWorker(started, 60_000, "the bundled sort worker")).toBe("done");
    let at = 0;
    expected.forEach((e) => {
      const got = job.scratch.subarray(at, at + e.length);
      at += e.length;
      expect(got.findIndex((v, j) => !Object.is(v, e[j]))).toBe(-1);
    });
  });
});
