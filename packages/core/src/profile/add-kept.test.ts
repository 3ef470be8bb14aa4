import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import type { Batch, Column } from "../table/column.js";
import { createProfileBuilder } from "./create-profile-builder.js";
import type { NumericColumnProfile } from "./profile.js";

/** A batch of column x: ties, ±0, NaN, ±Infinity and nulls among ordinary values (or only `fill`). */
function batch(n: number, seed: number, fill?: number): Batch {
  const rng = createRng(seed);
  const special = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const values = Float64Array.from({ length: n }, () => {
    if (fill !== undefined) return fill;
    const u = rng.next();
    return u < 0.1 ? special[Math.floor(u * 50)]! : Math.round((u - 0.4) * 1e4) / 3;
  });
  const nulls = Uint8Array.from({ length: n }, () => (rng.next() < 0.03 ? 1 : 0));
  const x: Column = { kind: "number", values, nulls };
  return { source: "t", firstRow: 1, length: n, invalid: new Map(), columns: new Map([["x", x]]) };
}

/** Every row, then every third row (a window's share of a log batch). */
function feed(deferSketch: boolean, batches: Batch[]): NumericColumnProfile {
  const builder = createProfileBuilder({ exactValues: 1_000_000, chunks: false, deferSketch });
  batches.forEach((b, j) => {
    if (j % 2 === 0) builder.add(b);
    else
      builder.add(
        b,
        Uint32Array.from({ length: Math.ceil(b.length / 3) }, (_, i) => 3 * i),
      );
  });
  return builder.finish().columns.x as NumericColumnProfile;
}

describe("addKept (a drift window's numeric columns)", () => {
  it("gives the moments, extremes and values of the general loop, bit for bit", () => {
    const cases = [
      [batch(5_000, 1), batch(3_001, 2), batch(40, 3)],
      // Nothing but nulls and NaN first (min and max stay null), then values; only infinities.
      [batch(100, 4, Number.NaN), batch(2_000, 5)],
      [batch(50, 6, Number.POSITIVE_INFINITY), batch(50, 7, Number.NEGATIVE_INFINITY)],
      [batch(10, 8, -0), batch(10, 9, 0)],
    ];
    for (const batches of cases) {
      const fast = feed(true, batches);
      const general = feed(false, batches);
      for (const field of ["rows", "count", "nulls", "infinite", "mean", "m2", "std", "min", "max"] as const)
        expect(Object.is(fast[field], general[field]), field).toBe(true);
      expect(fast.values!.length).toBe(general.values!.length);
      expect(fast.values!.findIndex((v, i) => !Object.is(v, general.values![i]))).toBe(-1);
    }
  });
});
