import { describe, expect, it } from "vitest";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { isUserError } from "../errors/user-error.js";
import type { Batch } from "../table/column.js";
import { parseShard, parseShardFileName, shardFileName, shardOf, shardOfHash } from "./shard.js";
import { rowIdentity, shardRows, takeRows } from "./shard-rows.js";

const caught = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
};

describe("parseShard", () => {
  it("reads i/n numbered from 1", () => {
    expect(parseShard("2/4", { input: "shard" })).toEqual({ index: 2, count: 4 });
    expect(parseShard(" 1 / 1 ", { input: "shard" })).toEqual({ index: 1, count: 1 });
  });

  it.each(["0/4", "5/4", "2", "a/b", "1/0", "-1/2", "2/4/8", "1/2000"])(
    "refuses %s with a UserError naming the input",
    (text) => {
      const error = caught(() => parseShard(text, { input: "shard" }));
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toContain(`input 'shard': expected i/n with 1 ≤ i ≤ n`);
      expect((error as Error).message).toContain(`got '${text}'`);
    },
  );
});

describe("shardOf", () => {
  it("puts every id in exactly one shard, evenly, the same way every time", () => {
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 50_000; i++) counts[shardOf(`customer-${i}`, 5) - 1]! += 1;
    // Binomial(50,000, 1/5): standard deviation ≈ 89, so ±500 is more than 5 of them.
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(500);
    expect(shardOf("customer-42", 5)).toBe(shardOf("customer-42", 5));
    expect(shardOf("anything", 1)).toBe(1);
  });

  it("is shardOfHash of the id's row hash, so a reader that hashed the key finds the same shard", () => {
    for (let i = 0; i < 2_000; i++) {
      const id = i % 7 === 0 ? `#${i + 1}` : `customer-${i}\u0000ü${i % 13}`;
      for (const n of [1, 2, 4, 7]) expect(shardOfHash(rowIdHash(id), n)).toBe(shardOf(id, n));
    }
  });
});

describe("part file names", () => {
  it("round-trips and ignores other files", () => {
    expect(shardFileName("drift", { index: 3, count: 4 })).toBe("drift.part-3-of-4.json");
    expect(parseShardFileName("drift", "drift.part-3-of-4.json")).toEqual({ index: 3, count: 4 });
    expect(parseShardFileName("evaluation", "drift.part-3-of-4.json")).toBeUndefined();
    expect(parseShardFileName("drift", "drift.json")).toBeUndefined();
  });
});

describe("shardRows and takeRows", () => {
  const batch: Batch = {
    source: "eval.csv",
    firstRow: 11,
    length: 4,
    columns: new Map([
      ["id", { kind: "category", values: ["a", "b", "", "d"], nulls: Uint8Array.of(0, 0, 1, 0) }],
      ["x", { kind: "number", values: Float64Array.of(1, 2, 3, 4), nulls: new Uint8Array(4) }],
    ]),
    invalid: new Map([["x", [{ row: 13, raw: "three" }]]]),
  };

  it("identifies rows by key, else by row number", () => {
    const id = batch.columns.get("id");
    expect(rowIdentity([id], 0, 10)).toBe("a");
    expect(rowIdentity([id], 2, 12)).toBe("#13");
    expect(rowIdentity([], 1, 11)).toBe("#12");
  });

  it("splits a batch into disjoint shards that cover it, keeping bad cells with their rows", () => {
    const parts = [1, 2].map((index) => shardRows(batch, ["id"], { index, count: 2 }, 10));
    expect([...parts[0]!, ...parts[1]!].sort()).toEqual([0, 1, 2, 3]);
    const withThird = parts.find((p) => p.includes(2))!;
    const taken = takeRows(batch, withThird);
    expect(taken.length).toBe(withThird.length);
    expect(taken.invalid.get("x")).toEqual([{ row: 13, raw: "three" }]);
    const other = takeRows(batch, parts.find((p) => !p.includes(2))!);
    expect(other.invalid.has("x")).toBe(false);
  });
});
