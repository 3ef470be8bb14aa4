import type { Batch, Column } from "@gauntlet/core";
import { logisticModel } from "@gauntlet/fixtures";
import { checkSignature, loadModel } from "@gauntlet/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BENCHMARK_ROWS,
  batchRepeats,
  benchmarkBatches,
  createBenchmarkSample,
  type TimedModel,
} from "./benchmark-models.js";

const manifestFile = "models/churn/model.yml";

async function timedModel(weights: number[]): Promise<TimedModel> {
  const model = await loadModel(logisticModel({ weights, bias: 0, features: ["x1", "x2"] }), {
    manifestFile,
    threads: 1,
  });
  const mapping = checkSignature(model, {
    path: "m.onnx",
    inputs: { numeric: ["x1", "x2"] },
    outputs: { probabilities: "probabilities" },
    classes: [0, 1],
    positive: 1,
  });
  return { model, mapping };
}

function numbers(values: readonly number[]): Column {
  return { kind: "number", values: Float64Array.from(values), nulls: new Uint8Array(values.length) };
}

function batchOf(rows: number, start = 0, source = "logs/shadow.jsonl"): Batch {
  const x1 = Array.from({ length: rows }, (_, i) => start + i);
  return {
    source,
    firstRow: start + 1,
    length: rows,
    columns: new Map<string, Column>([
      ["x1", numbers(x1)],
      ["x2", numbers(x1.map((v) => v / 2))],
      ["request_id", { kind: "category", values: x1.map(String), nulls: new Uint8Array(rows) }],
    ]),
    invalid: new Map(),
  };
}

/**
 * A clock for timeScoring, which reads it twice per timed call: the n-th call lasts
 * `duration(n)` milliseconds. Counts the timed calls.
 */
function scriptedClock(duration: (call: number) => number) {
  let reads = 0;
  let t = 0;
  return {
    now: () => {
      const call = Math.floor(reads / 2);
      if (reads % 2 === 1) t += duration(call);
      reads++;
      const value = t;
      if (reads % 2 === 0) t += 1000;
      return value;
    },
    calls: () => reads / 2,
  };
}

let champion: TimedModel;
let challenger: TimedModel;

beforeAll(async () => {
  champion = await timedModel([1, -1]);
  challenger = await timedModel([0.5, 0.5]);
});

afterAll(async () => {
  await Promise.all([champion.model.session.release(), challenger.model.session.release()]);
});

describe("benchmarkBatches", () => {
  it("times both models on one row and on a throughput batch of the sample, with percentiles per call and rows/s", async () => {
    const sample = batchOf(300);
    // Calls run per batch size, champion then challenger, 10 timed calls each: in each block of
    // 10 the durations are 1..10 ms shuffled, doubled for the challenger and ×4 for the large batch.
    const shuffled = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];
    const clock = scriptedClock((call) => {
      const block = Math.floor(call / 10);
      const scale = (block % 2 === 1 ? 2 : 1) * (block >= 2 ? 4 : 1);
      return shuffled[call % 10]! * scale;
    });
    const result = await benchmarkBatches({ champion, challenger }, sample, {
      repeats: 10,
      warmup: 1,
      now: clock.now,
    });
    expect(clock.calls()).toBe(40);
    expect(result.map((b) => b.rows)).toEqual([1, 300]);
    const [one, many] = result;
    expect(one!.champion).toMatchObject({ n: 10 });
    expect(one!.champion!.p50Ms).toBeCloseTo(5.5, 12);
    expect(one!.champion!.p95Ms).toBeCloseTo(9.55, 12);
    expect(one!.champion!.p99Ms).toBeCloseTo(9.91, 12);
    expect(one!.champion!.rowsPerSecond).toBeCloseTo(1 / 0.0055, 6);
    expect(one!.challenger!.p99Ms).toBeCloseTo(19.82, 12);
    expect(one!.challenger!.rowsPerSecond).toBeCloseTo(1 / 0.011, 6);
    expect(many!.champion!.p50Ms).toBeCloseTo(22, 12);
    expect(many!.champion!.rowsPerSecond).toBeCloseTo(300 / 0.022, 6);
    expect(many!.challenger!.p99Ms).toBeCloseTo(79.28, 12);
    expect(many!.challenger!.rowsPerSecond).toBeCloseTo(300 / 0.044, 6);
  });

  it("caps the throughput batch at BENCHMARK_ROWS and times it fewer times than one row", async () => {
    const sample = batchOf(BENCHMARK_ROWS + 500);
    const clock = scriptedClock(() => 2);
    const result = await benchmarkBatches({ challenger }, sample, {
      repeats: 200,
      warmup: 0,
      now: clock.now,
    });
    expect(result.map((b) => b.rows)).toEqual([1, BENCHMARK_ROWS]);
    expect(result.map((b) => b.champion)).toEqual([null, null]);
    expect(result[0]!.challenger).toMatchObject({ n: 200, p50Ms: 2, p99Ms: 2, rowsPerSecond: 500 });
    expect(result[1]!.challenger).toMatchObject({
      n: batchRepeats(BENCHMARK_ROWS, 200),
      p50Ms: 2,
      rowsPerSecond: BENCHMARK_ROWS * 500,
    });
    expect(clock.calls()).toBe(200 + batchRepeats(BENCHMARK_ROWS, 200));
  });

  it("gives only the one-row entry for a one-row sample, and nothing for an empty one", async () => {
    const clock = scriptedClock(() => 1);
    const result = await benchmarkBatches({ champion, challenger }, batchOf(1), {
      repeats: 3,
      sizes: [1, 256, 1024],
      warmup: 0,
      now: clock.now,
    });
    expect(result.map((b) => b.rows)).toEqual([1]);
    expect(result[0]!.champion).toMatchObject({ n: 3 });
    expect(await benchmarkBatches({ champion }, batchOf(0), { repeats: 3 })).toEqual([]);
  });

  it("times real runs with the default clock", async () => {
    const [one, many] = await benchmarkBatches({ champion, challenger }, batchOf(64), {
      repeats: 5,
      warmup: 1,
    });
    for (const t of [one!.champion!, one!.challenger!, many!.champion!, many!.challenger!]) {
      expect(t.p50Ms).toBeGreaterThan(0);
      expect(t.p50Ms).toBeLessThanOrEqual(t.p99Ms!);
    }
    expect(many!.rows).toBe(64);
  });
});

describe("batchRepeats", () => {
  it("keeps the one-row repeats and times large batches fewer times, never below 20", () => {
    expect(batchRepeats(1, 200)).toBe(200);
    expect(batchRepeats(256, 200)).toBe(200);
    expect(batchRepeats(1024, 200)).toBe(50);
    expect(batchRepeats(100_000, 200)).toBe(20);
    expect(batchRepeats(1024, 10)).toBe(10);
  });
});

describe("createBenchmarkSample", () => {
  it("keeps the first rows across batches, only the named columns", () => {
    const sample = createBenchmarkSample(["x1", "request_id"], 250);
    sample.add(batchOf(100, 0));
    sample.add(batchOf(0, 100));
    sample.add(batchOf(100, 100));
    sample.add(batchOf(100, 200));
    sample.add(batchOf(100, 300));
    const batch = sample.finish()!;
    expect(batch.length).toBe(250);
    expect([...batch.columns.keys()]).toEqual(["x1", "request_id"]);
    const x1 = batch.columns.get("x1")!;
    expect(Array.from(x1.values as Float64Array)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(x1.nulls).toHaveLength(250);
    expect((batch.columns.get("request_id")!.values as string[])[249]).toBe("249");
  });

  it("copies rows, so later changes to the source batch do not reach the sample", () => {
    const sample = createBenchmarkSample(["x1"]);
    const source = batchOf(3);
    sample.add(source);
    (source.columns.get("x1")!.values as Float64Array)[0] = 99;
    expect(sample.finish()!.columns.get("x1")!.values[0]).toBe(0);
  });

  it("passes over batches lacking a column or holding it as another kind, and is empty without rows", () => {
    const sample = createBenchmarkSample(["x1"]);
    expect(sample.finish()).toBeUndefined();
    sample.add(batchOf(2));
    const other = batchOf(2, 2);
    other.columns.set("x1", { kind: "category", values: ["a", "b"], nulls: new Uint8Array(2) });
    sample.add(other);
    const lacking = batchOf(2, 4);
    lacking.columns.delete("x1");
    sample.add(lacking);
    expect(sample.finish()!.length).toBe(2);
  });
});
