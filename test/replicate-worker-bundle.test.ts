import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { bootstrapMetrics, gaussianMaxima, rowIdHash, tallyHere } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { prepareBinaryPass } from "../packages/core/src/metrics/prepare-binary-pass.js";
import type { MaximaShare } from "../packages/steps/src/evaluate/maxima-threads.js";
import type { ReplicateShare } from "../packages/steps/src/evaluate/replicate-threads.js";
import { tallyThreads } from "../packages/steps/src/evaluate/tally-threads.js";

// The worker that evaluate-slices' bundle starts (scripts/build.mjs bundles it beside index.js):
// run as `replicateThreads` runs it, it must give this thread's replicates bit for bit.
const WORKER = join(import.meta.dirname, "..", "actions", "evaluate-slices", "dist", "replicate-worker.js");

/**
 * Posts `share` to a fresh bundled worker as a job is posted (a message; its signal's port
 * transferred), waits for its signal and closes this thread's end: 1 = done, 2 = failed.
 */
async function inWorker(share: { done: Int32Array; port: MessagePort }, own: MessagePort): Promise<number> {
  const worker = new Worker(pathToFileURL(WORKER), { execArgv: [] });
  worker.postMessage(share, [share.port]);
  Atomics.wait(share.done, 0, 0, 60_000);
  await worker.terminate();
  own.close();
  return Atomics.load(share.done, 0);
}

describe("the bundled replicate worker", () => {
  it("sits beside evaluate-slices' bundle and computes its share of replicates as this thread does", async () => {
    expect(existsSync(WORKER)).toBe(true);
    let s = 5;
    const rnd = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const n = 2000;
    const labels = Float64Array.from({ length: n }, () => (rnd() < 0.3 ? 1 : 0));
    // A 0.02 score range on a 0.001 grid: ties, and the threshold inside the range.
    const scores = labels.map((y) => 0.49 + Math.round((0.005 * y + 0.015 * rnd()) * 1000) / 1000);
    const groupIds = [new Uint8Array(n), Uint8Array.from({ length: n }, (_, i) => (i < 4 ? 1 : 2))];
    const pass = prepareBinaryPass({ labels, scores, groupIds, groups: 3 }, 0.5);
    const input = {
      task: "binary" as const,
      metrics: ["roc_auc", "average_precision", "f1", "log_loss", "ece"] as const,
      groups: [0, 1, 2],
      rowHashes: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`k-${i}`)),
      seed: 11,
      from: 20,
      to: 60,
    };
    const [expected] = bootstrapMetrics({ ...input, passes: [pass] });
    const offset = 7;
    const out = [new Float64Array(new SharedArrayBuffer((offset + expected!.length) * 8))];
    const { port1, port2 } = new MessageChannel();
    const share: ReplicateShare = {
      input: { ...input, metrics: [...input.metrics], passes: [pass.data!] },
      out,
      offset,
      done: new Int32Array(new SharedArrayBuffer(4)),
      port: port2,
    };
    expect(await inWorker(share, port1)).toBe(1);
    expect(Array.from(out[0]!.subarray(offset))).toEqual(Array.from(expected!));
    expect(expected!.some(Number.isNaN)).toBe(true); // the 4-row group is one-class in some replicates
  });

  it("simulates sup-t maxima and runs a point pass as this thread does", async () => {
    const jobs = [0, 1].map((g) => ({
      covariance: Float64Array.of(1, 0.5, 0.5, 2),
      draws: 3000,
      seed: `11/sup-t/${g}`,
    }));
    const { port1, port2 } = new MessageChannel();
    // This thread takes no job: the worker simulates both.
    const share: MaximaShare = {
      maxima: jobs,
      out: jobs.map(() => new Float64Array(new SharedArrayBuffer(3000 * 8))),
      counter: new Int32Array(new SharedArrayBuffer(4)),
      done: new Int32Array(new SharedArrayBuffer(4)),
      port: port2,
    };
    expect(await inWorker(share, port1)).toBe(1);
    expect(share.out).toEqual(jobs.map((j) => gaussianMaxima(j.covariance, j.draws, j.seed)));
    const labels = Float64Array.from({ length: 500 }, (_, i) => ((i * 37) % 5 < 2 ? 1 : 0));
    const scores = labels.map((y, i) => Math.round((0.3 + 0.3 * y + 0.4 * Math.abs(Math.cos(i))) * 40) / 40);
    const pass = prepareBinaryPass({ labels, scores, groupIds: [new Uint8Array(500)], groups: 1 }, 0.5);
    const runner = tallyThreads({ url: pathToFileURL(WORKER), threads: 2, execArgv: [] })!;
    expect(runner(pass, null)()).toEqual(tallyHere(pass, null)());
  });
});
