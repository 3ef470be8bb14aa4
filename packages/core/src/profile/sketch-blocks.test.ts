import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import { sortFloat64 } from "../stats/sort-float64.js";
import type { Batch } from "../table/column.js";
import { createProfileBuilder } from "./create-profile-builder.js";
import type { Profile } from "./profile.js";
import type { PresortBlock } from "./sketch-blocks.js";

/** Batches of 3,000 rows of a column `x` with ties, ±0, a NaN and an infinity, and a column `y` missing from some. */
function batches(seed: number): Batch[] {
  const rng = createRng(seed);
  return Array.from({ length: 60 }, (_, b) => {
    const x = Float64Array.from({ length: 3_000 }, () => {
      const u = rng.next();
      return u < 0.03 ? -0 : u < 0.06 ? 0 : Math.round((u - 0.5) * 9000) / 7;
    });
    x[b] = b === 3 ? Number.NaN : b === 4 ? Number.POSITIVE_INFINITY : x[b]!;
    const columns = new Map<string, Batch["columns"] extends Map<string, infer C> ? C : never>([
      ["x", { kind: "number", values: x, nulls: new Uint8Array(x.length) }],
    ]);
    if (b % 4 !== 1) {
      const y = Float64Array.from({ length: 3_000 }, () => rng.next() * 100);
      columns.set("y", { kind: "number", values: y, nulls: new Uint8Array(y.length) });
    }
    return { source: "log.jsonl", firstRow: 1 + 3_000 * b, length: 3_000, columns, invalid: new Map() };
  });
}

/** The profiles (finished mid-stream every 13 batches, and at the end) of a segment window's builder. */
function profiles(seed: number, presortBlock?: PresortBlock): Profile[] {
  const all = batches(seed);
  const reference = createProfileBuilder({ chunks: false });
  for (const b of all.slice(0, 4)) reference.add(b);
  const builder = createProfileBuilder({
    reference: reference.finish(),
    chunks: false,
    sketchBlock: 16_384,
    presortBlock,
  });
  const out: Profile[] = [];
  all.forEach((b, i) => {
    builder.add(
      b,
      Uint32Array.from({ length: b.length / 2 }, (_, k) => 2 * k + (i % 2)),
    );
    if (i % 13 === 6) out.push(builder.finish());
  });
  out.push(builder.finish());
  return out;
}

describe("presortBlock", () => {
  it("gives the same profiles however the blocks are sorted meanwhile and whenever they settle", () => {
    const plain = profiles(1);
    const handed: { block: Float64Array; copy: Float64Array; settle: () => void }[] = [];
    const rng = createRng(2);
    // Like the sort worker: some blocks sorted in place at once, some later, some never; some
    // settled at once, some later in any order, some only by the next block or the finish.
    const withPresort = profiles(1, (block, settle) => {
      handed.push({ block, copy: block.slice(), settle });
      const u = rng.next();
      if (u < 0.3) sortFloat64(block);
      if (u < 0.15) settle();
      const other = handed[Math.floor(rng.next() * handed.length)]!;
      if (rng.next() < 0.3) sortFloat64(other.block);
      if (rng.next() < 0.3) other.settle();
    });
    expect(handed.length).toBeGreaterThan(8);
    expect(withPresort).toEqual(plain);
    // A block handed over is never written again but by the sorter: it holds its values, sorted.
    for (const { block, copy } of handed) {
      expect(sortFloat64(block.slice())).toEqual(sortFloat64(copy));
      expect(block.length).toBe(16_384);
    }
  });

  it("gives the same profiles when every block settles at once", () => {
    expect(profiles(3, (_block, settle) => settle())).toEqual(profiles(3));
  });
});
