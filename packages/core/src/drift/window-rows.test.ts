import { describe, expect, it } from "vitest";
import { createProfileBuilder } from "../profile/create-profile-builder.js";
import type { Batch, Column } from "../table/column.js";
import { logRowStarts, windowRows } from "./log-rows.js";
import { selectRows } from "./select-rows.js";

const DAY = 86_400_000;

/** A log batch: rows of day `days[i]` (null: no timestamp), version, a number and a category. */
function batch(days: (number | null)[], versions: string[]): Batch {
  const n = days.length;
  const ts = Float64Array.from(days, (d) => (d === null ? Number.NaN : d * DAY + 1000 * (d + 1)));
  const age = Float64Array.from(days, (_, i) => (i % 5 === 3 ? Number.NaN : (i * 7) % 11));
  const columns: [string, Column][] = [
    ["ts", { kind: "timestamp", values: ts, nulls: Uint8Array.from(days, (d) => (d === null ? 1 : 0)) }],
    ["v", { kind: "category", values: versions, nulls: new Uint8Array(n) }],
    ["age", { kind: "number", values: age, nulls: Uint8Array.from(days, (_, i) => (i % 7 === 6 ? 1 : 0)) }],
    ["plan", { kind: "category", values: days.map((_, i) => `p${i % 3}`), nulls: new Uint8Array(n) }],
  ];
  return { source: "logs.jsonl", firstRow: 1, length: n, invalid: new Map(), columns: new Map(columns) };
}

describe("windowRows", () => {
  const options = { fields: { timestamp: "ts", version: "v" }, version: "1" };

  it("gives each window's rows in the order its first row comes, skipped rows in none", () => {
    const b = batch([2, 1, null, 2, 1, 3], ["1", "1", "1", "0", "1", "1"]);
    const rows = windowRows(logRowStarts(b, options, DAY));
    expect([...rows.keys()]).toEqual([2 * DAY, DAY, 3 * DAY]);
    expect([...rows.values()]).toEqual([Uint32Array.of(0), Uint32Array.of(1, 4), Uint32Array.of(5)]);
  });

  it("gives null (every row) when all rows share one window, and nothing for no rows", () => {
    expect(windowRows(logRowStarts(batch([4, 4], ["1", "1"]), options, DAY))).toEqual(
      new Map([[4 * DAY, null]]),
    );
    expect(windowRows(logRowStarts(batch([], []), options, DAY))).toEqual(new Map());
  });
});

describe("a profile builder given a subset of a batch's rows", () => {
  it("profiles them as it profiles a batch of only those rows", () => {
    const days = Array.from({ length: 500 }, (_, i) => (i * 13) % 4);
    const b = batch(
      days,
      days.map(() => "1"),
    );
    const names = new Map([
      ["age", "age"],
      ["plan", "plan"],
    ]);
    const rows = windowRows(logRowStarts(b, { fields: { timestamp: "ts" } }, DAY));
    expect(rows.size).toBe(4);
    for (const settings of [{ exactValues: 1000, deferSketch: true, chunks: false }, { chunkRows: 16 }]) {
      const subset = createProfileBuilder(settings);
      const copied = createProfileBuilder(settings);
      for (const window of rows.values()) {
        subset.add(selectRows(b, null, names), window!);
        copied.add(selectRows(b, window, names));
      }
      expect(subset.finish()).toEqual(copied.finish());
    }
  });
});
