import { describe, expect, it } from "vitest";
import { UserError } from "../errors/user-error.js";
import { emptyNumericProfile } from "../profile/column-accumulator.js";
import { createProfileBuilder } from "../profile/create-profile-builder.js";
import { createKllSketch } from "../profile/kll-sketch.js";
import type { Profile } from "../profile/profile.js";
import type { Batch, Column } from "../table/column.js";
import { createCategoryCoder, createSegmentWindowProfile } from "./segment-window-profile.js";

/** Bin edges for `age`, as a reference profile gives them. */
const reference: Profile = {
  schema: "gauntlet/profile@1",
  rows: 0,
  chunkRows: 10_000,
  columns: {
    age: emptyNumericProfile(0, createKllSketch(200), { edges: [30, 50], counts: [0, 0, 0], exact: true }),
  },
};

let seed = 11;
function next(): number {
  seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
  return seed / 2 ** 32;
}

/**
 * A batch of `n` rows: `age` (numbers, some missing), `plan` (a few categories, some missing,
 * one empty string), `member` (booleans), and `city`, with `cities` distinct values, only when
 * `city` is given (a column missing from some batches).
 */
function batch(n: number, options: { cities?: number; cityFrom?: number } = {}): Batch {
  const columns = new Map<string, Column>();
  const age = Float64Array.from({ length: n }, () =>
    next() < 0.05 ? Number.NaN : Math.floor(18 + next() * 60),
  );
  columns.set("age", {
    kind: "number",
    values: age,
    nulls: Uint8Array.from(age, (v) => (Number.isNaN(v) ? 1 : 0)),
  });
  const plans = ["basic", "pro", "", "family"];
  const planNulls = Uint8Array.from({ length: n }, () => (next() < 0.1 ? 1 : 0));
  columns.set("plan", {
    kind: "category",
    values: Array.from(planNulls, (missing) => (missing ? "" : plans[Math.floor(next() * plans.length)]!)),
    nulls: planNulls,
  });
  columns.set("member", {
    kind: "boolean",
    values: Uint8Array.from({ length: n }, () => (next() < 0.3 ? 1 : 0)),
    nulls: Uint8Array.from({ length: n }, () => (next() < 0.02 ? 1 : 0)),
  });
  if (options.cities !== undefined) {
    const from = options.cityFrom ?? 0;
    columns.set("city", {
      kind: "category",
      values: Array.from({ length: n }, () => `c${from + Math.floor(next() * options.cities!)}`),
      nulls: new Uint8Array(n),
    });
  }
  return { source: "logs.jsonl", firstRow: 1, length: n, columns, invalid: new Map() };
}

/** Rows of a batch kept with probability `share`, ascending. */
function someRows(n: number, share: number): Uint32Array {
  return Uint32Array.from([...Array(n).keys()].filter(() => next() < share));
}

/** The same batches and rows into a segment window profile and into the profile builder. */
function both(batches: { batch: Batch; rows: Uint32Array }[]): { window: Profile; builder: Profile } {
  const coder = createCategoryCoder();
  const window = createSegmentWindowProfile(reference);
  const builder = createProfileBuilder({ reference, chunks: false, sketchBlock: 16_384 });
  for (const { batch, rows } of batches) {
    window.add(coder.code(batch), rows);
    builder.add(batch, rows);
  }
  return { window: window.finish(), builder: builder.finish() };
}

describe("createSegmentWindowProfile", () => {
  it("gives the profile builder's profile: categories, booleans, missing values, empty strings", () => {
    const batches = [0, 1, 2].map(() => {
      const b = batch(3000);
      return { batch: b, rows: someRows(b.length, 0.4) };
    });
    const { window, builder } = both(batches);
    expect(window).toEqual(builder);
    expect(Object.keys(window.columns)).toEqual(Object.keys(builder.columns));
    expect(window.columns.plan).toMatchObject({ kind: "category", other: 0 });
    expect(Object.keys((window.columns.plan as { counts: object }).counts)).toContain("");
  });

  it("counts a column missing from some batches, and one first seen late, as the builder does", () => {
    const batches = [batch(500), batch(700, { cities: 5 }), batch(300), batch(400, { cities: 5 })].map(
      (b) => ({
        batch: b,
        rows: someRows(b.length, 0.5),
      }),
    );
    const { window, builder } = both(batches);
    expect(window).toEqual(builder);
    expect(Object.keys(window.columns)).toEqual(["age", "plan", "member", "city"]);
    expect(window.columns.city).toMatchObject({ nulls: expect.any(Number) });
    expect((window.columns.city as { nulls: number }).nulls).toBeGreaterThan(0);
  });

  it("hands a column with more than 2,000 distinct values to a builder, seeded with the counts so far", () => {
    // No city (rows missing it before its first), 1,500 cities, then 1,500 new ones (the coder's
    // dictionary passes 2,000 after the window counted the first by code), a batch without it, more.
    const batches = [
      batch(1_000),
      batch(20_000, { cities: 1500 }),
      batch(20_000, { cities: 1500, cityFrom: 1500 }),
      batch(2_000),
      batch(30_000, { cities: 3000 }),
    ].map((b) => ({ batch: b, rows: someRows(b.length, 0.9) }));
    const { window, builder } = both(batches);
    expect(window).toEqual(builder);
    // The cap (1,000 kept values) applied: the rest is in `other`.
    expect((window.columns.city as { other: number }).other).toBeGreaterThan(0);
    expect(Object.keys((window.columns.city as { counts: object }).counts)).toHaveLength(1000);
  });

  it("refuses a column whose kind changes, as the builder does", () => {
    const coder = createCategoryCoder();
    const window = createSegmentWindowProfile(reference);
    const first = batch(10);
    window.add(coder.code(first), Uint32Array.of(0, 1));
    const flipped: Batch = {
      ...first,
      columns: new Map([
        ["plan", { kind: "number", values: new Float64Array(10), nulls: new Uint8Array(10) }],
      ]),
    };
    expect(() => window.add(coder.code(flipped), Uint32Array.of(0))).toThrow(UserError);
    expect(() => window.add(coder.code(flipped), Uint32Array.of(0))).toThrow(
      /column is number here but category/,
    );
  });
});
