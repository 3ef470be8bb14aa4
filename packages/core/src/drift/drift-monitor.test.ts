import { describe, expect, it } from "vitest";
import { createProfileBuilder } from "../profile/create-profile-builder.js";
import { createRng } from "../random/rng.js";
import { sortFloat64 } from "../stats/sort-float64.js";
import type { Batch, Column } from "../table/column.js";
import { createDriftMonitor, type DriftMonitorOptions } from "./drift-monitor.js";

const DAY = 86_400_000;
const T0 = Date.parse("2025-06-01T00:00:00Z");

/**
 * `n` log rows over three days (taking turns, or `ordered`: the first third on day 0, …): ages
 * with ties and ±0, scores on a coarse grid, a few nulls.
 */
function logBatch(n: number, seed: number, ordered = false): Batch {
  const rng = createRng(seed);
  const age = Float64Array.from({ length: n }, () => {
    const u = rng.next();
    return u < 0.05 ? -0 : u < 0.1 ? 0 : Math.round(u * 600) / 10 - 5;
  });
  const nulls = Uint8Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 1 : 0));
  const ts = Float64Array.from(
    { length: n },
    (_, i) => T0 + (ordered ? Math.floor((3 * i) / n) : i % 3) * DAY + i,
  );
  const score = Float64Array.from({ length: n }, () => Math.round(rng.next() * 50) / 50);
  const columns = new Map<string, Column>([
    ["ts", { kind: "timestamp", values: ts, nulls: new Uint8Array(n) }],
    ["inputs.age", { kind: "number", values: age, nulls }],
    ["score", { kind: "number", values: score, nulls: new Uint8Array(n) }],
  ]);
  return { source: "logs.jsonl", firstRow: 1, length: n, invalid: new Map(), columns };
}

function driftOptions(): DriftMonitorOptions {
  const builder = createProfileBuilder({ exactValues: 1_000_000 });
  const ref = logBatch(30_000, 1);
  builder.add({
    ...ref,
    columns: new Map([
      ["age", ref.columns.get("inputs.age")!],
      ["score", ref.columns.get("score")!],
    ]),
  });
  return {
    model: { name: "churn", version: "1.2.0" },
    reference: builder.finish(),
    referenceSource: { kind: "profile", location: "profile.json", rows: 30_000, sample: 30_000 },
    columns: ["age"],
    fields: { timestamp: "ts", features: "inputs", score: "score" },
    window: "1d",
  };
}

/** Rows `from..to` of `batch` (a log read in time order comes in such slices). */
function rowsOf(batch: Batch, from: number, to: number): Batch {
  const columns = new Map<string, Column>();
  for (const [name, c] of batch.columns)
    columns.set(name, { ...c, values: c.values.slice(from, to), nulls: c.nulls.slice(from, to) } as Column);
  return { ...batch, firstRow: batch.firstRow + from, length: to - from, columns };
}

/** A sorter that sorts here and records the lengths of each call's arrays in `calls`. */
function sortingInto(calls: number[][]): (arrays: Float64Array[]) => void {
  return (arrays) => {
    calls.push(arrays.map((a) => a.length));
    for (const a of arrays) sortFloat64(a);
  };
}

describe("createDriftMonitor with sortValues", () => {
  it("hands every window's kept values to the sorter and gives the same state and result as without", () => {
    const options = driftOptions();
    const sorted: number[][] = [];
    const plain = createDriftMonitor(options);
    const sorting = createDriftMonitor({ ...options, sortValues: sortingInto(sorted) });
    for (const seed of [2, 3]) {
      plain.add(logBatch(60_000, seed));
      sorting.add(logBatch(60_000, seed));
    }
    expect(sorting.state()).toEqual(plain.state());
    // Three windows, age and score each: 40,000 rows a window, 1 in 97 null for age.
    expect(sorted[0]).toHaveLength(6);
    expect(sorted[0]!.reduce((a, b) => a + b, 0)).toBe(240_000 - Math.ceil(120_000 / 97));
    expect(sorting.finish()).toEqual(plain.finish());
  });
});

describe("createDriftMonitor with presortValues", () => {
  it("hands over each window the log left behind once, and gives the same state and result as without", () => {
    const options = driftOptions();
    // Days in order (rows of day 0, then 1, then 2, in batches that straddle the days), then
    // late rows of every day after day 2 began.
    const ordered = logBatch(60_000, 4, true);
    const batches = [
      rowsOf(ordered, 0, 15_000),
      rowsOf(ordered, 15_000, 25_000),
      rowsOf(ordered, 25_000, 45_000),
      rowsOf(ordered, 45_000, 60_000),
      rowsOf(logBatch(300, 5), 0, 300),
    ];
    const handed: number[][] = [];
    const plain = createDriftMonitor(options);
    const presorting = createDriftMonitor({ ...options, presortValues: sortingInto(handed) });
    for (const batch of batches) {
      plain.add(batch);
      presorting.add(batch);
    }
    // After each batch: day 0 left behind by the third batch (which starts in day 1), day 1 by
    // the fourth (day 2 only); the late rows hand nothing over again.
    expect(handed.map((h) => h.length)).toEqual([0, 0, 2, 2, 0]);
    expect(handed[2]![1]).toBe(20_000);
    expect(presorting.state()).toEqual(plain.state());
    expect(presorting.finish()).toEqual(plain.finish());
  });
});
