import { describe, expect, it } from "vitest";
import { createProfileBuilder } from "../profile/create-profile-builder.js";
import { createRng } from "../random/rng.js";
import { sortFloat64 } from "../stats/sort-float64.js";
import type { Batch, Column } from "../table/column.js";
import { createDriftMonitor, type DriftMonitorOptions } from "./drift-monitor.js";

const DAY = 86_400_000;
const T0 = Date.parse("2025-06-01T00:00:00Z");

/** `n` log rows over three days: ages with ties and ±0, scores on a coarse grid, a few nulls. */
function logBatch(n: number, seed: number): Batch {
  const rng = createRng(seed);
  const age = Float64Array.from({ length: n }, () => {
    const u = rng.next();
    return u < 0.05 ? -0 : u < 0.1 ? 0 : Math.round(u * 600) / 10 - 5;
  });
  const nulls = Uint8Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 1 : 0));
  const ts = Float64Array.from({ length: n }, (_, i) => T0 + (i % 3) * DAY + i);
  const score = Float64Array.from({ length: n }, () => Math.round(rng.next() * 50) / 50);
  const columns = new Map<string, Column>([
    ["ts", { kind: "timestamp", values: ts, nulls: new Uint8Array(n) }],
    ["inputs.age", { kind: "number", values: age, nulls }],
    ["score", { kind: "number", values: score, nulls: new Uint8Array(n) }],
  ]);
  return { source: "logs.jsonl", firstRow: 1, length: n, invalid: new Map(), columns };
}

describe("createDriftMonitor with sortValues", () => {
  it("hands every window's kept values to the sorter and gives the same state and result as without", () => {
    const builder = createProfileBuilder({ exactValues: 1_000_000 });
    const ref = logBatch(30_000, 1);
    builder.add({
      ...ref,
      columns: new Map([
        ["age", ref.columns.get("inputs.age")!],
        ["score", ref.columns.get("score")!],
      ]),
    });
    const options: DriftMonitorOptions = {
      model: { name: "churn", version: "1.2.0" },
      reference: builder.finish(),
      referenceSource: { kind: "profile", location: "profile.json", rows: 30_000, sample: 30_000 },
      columns: ["age"],
      fields: { timestamp: "ts", features: "inputs", score: "score" },
      window: "1d",
    };
    const sorted: number[][] = [];
    const plain = createDriftMonitor(options);
    const sorting = createDriftMonitor({
      ...options,
      sortValues: (arrays) => {
        sorted.push(arrays.map((a) => a.length));
        for (const a of arrays) sortFloat64(a);
      },
    });
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
