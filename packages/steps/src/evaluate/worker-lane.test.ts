import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type BatchEvaluationSpec,
  type CellLane,
  type Column,
  createBatchEvaluation,
  inThreadLane,
} from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerLane } from "./worker-lane.js";

// The worker is the built module: tests run from sources, where there is no worker file (and so
// `workerLane` gives none), while `npm test` builds dist/ before it runs them. It runs without
// vitest's Node options, whose `--conditions @gauntlet/source` would have it import TypeScript.
const WORKER = new URL("../../dist/evaluate/evaluation-worker.js", import.meta.url);
const built = { url: WORKER, cores: 2, execArgv: [] };

const spec: BatchEvaluationSpec = {
  specs: ["region", { column: "tenure", bins: [12, 24] }, "plan"],
  baseline: true,
};
const settings = {
  metrics: ["roc_auc", "average_precision", "log_loss", "f1", "ece"] as const,
  bootstrap: 200,
  seed: 3,
};

/** Seeded rows: labels, two models' scores, three slice columns, row ids. */
function rows(n: number) {
  let s = 17;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  const baseline = new Float64Array(n);
  const region: string[] = [];
  const plan: string[] = [];
  const tenure = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.3 ? 1 : 0;
    scores[i] = Math.min(1, Math.max(0, 0.55 * labels[i]! + 0.45 * rnd()));
    baseline[i] = 0.4 * labels[i]! + 0.6 * rnd();
    region.push(["AE", "SA", "EG", "QA", "MA"][Math.floor(rnd() * 5)]!);
    plan.push(rnd() < 0.5 ? "prepaid" : "postpaid");
    tenure[i] = Math.floor(rnd() * 48);
  }
  const rowIds = Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0);
  return { labels, scores, baseline, region, plan, tenure, rowIds };
}

async function evaluateWith(lane: CellLane | undefined, n = 20_000, batch = 4096) {
  const d = rows(n);
  const batches = createBatchEvaluation(spec, lane);
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch);
    const columns = new Map<string, Column>([
      ["region", { kind: "category", values: d.region.slice(from, to), nulls: new Uint8Array(to - from) }],
      ["plan", { kind: "category", values: d.plan.slice(from, to), nulls: new Uint8Array(to - from) }],
      ["tenure", { kind: "number", values: d.tenure.slice(from, to), nulls: new Uint8Array(to - from) }],
    ]);
    batches.add({
      labels: d.labels.subarray(from, to),
      scores: d.scores.subarray(from, to),
      baselineScores: d.baseline.subarray(from, to),
      sliceColumns: columns,
    });
    // As scoreRows does before it scores the next batch.
    await batches.idle();
  }
  return batches.finishShared(
    { labels: d.labels, scores: d.scores, baselineScores: d.baseline, rowIds: d.rowIds },
    { ...settings, metrics: [...settings.metrics] },
  );
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-lane-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A worker module of the given source. */
function workerFile(name: string, source: string): URL {
  const path = join(dir, name);
  writeFileSync(path, source);
  return pathToFileURL(path);
}

describe("workerLane", () => {
  it("is built next to this module's JavaScript, and absent beside the TypeScript sources", () => {
    expect(existsSync(WORKER)).toBe(true);
    expect(workerLane(spec, { cores: 4 })).toBeUndefined();
  });

  it("gives the in-thread result bit for bit, with the cells and ranking done in the worker", async () => {
    const expected = await evaluateWith(inThreadLane(spec));
    const lane = workerLane(spec, built);
    expect(lane).toBeDefined();
    expect(await evaluateWith(lane)).toEqual(expected);
    expect(await evaluateWith(undefined)).toEqual(expected);
    expect(expected.overall.metrics["roc_auc"]?.ci).not.toBeNull();
  });

  it("is none on one core", () => {
    expect(workerLane(spec, { ...built, cores: 1 })).toBeUndefined();
  });

  it("reports an add that failed in the worker at the next request", async () => {
    const lane = workerLane(spec, built)!;
    lane.add({ labels: undefined as never, scores: new Float64Array(1) }, [], 1);
    await expect(lane.tables()).rejects.toThrow(/^the evaluation worker failed: .*undefined/);
    lane.close();
  });

  it("rejects pending and later requests when the worker cannot load or exits", async () => {
    const broken = workerLane(spec, {
      ...built,
      url: workerFile("broken.mjs", "throw new Error('no such module');"),
    })!;
    await expect(broken.tables()).rejects.toThrow("the evaluation worker failed: no such module");
    await expect(broken.tables()).rejects.toThrow("no such module");
    broken.close();
    const exits = workerLane(spec, { ...built, url: workerFile("exits.mjs", "process.exit(3);") })!;
    await expect(exits.tables()).rejects.toThrow("the evaluation worker stopped (exit code 3)");
    exits.close();
  });

  it("takes no more requests once closed", async () => {
    const lane = workerLane(spec, built)!;
    lane.close();
    await expect(lane.tables()).rejects.toThrow("the evaluation lane is closed");
  });
});
