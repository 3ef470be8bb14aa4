import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import { sortFloat64 } from "./sort-float64.js";

/** The built-in sort's order, compared value by value with Object.is (so −0 and +0 differ). */
function expectBuiltInOrder(values: Float64Array): void {
  const expected = values.slice().sort();
  const got = sortFloat64(values.slice());
  expect(got.length).toBe(expected.length);
  const first = expected.findIndex((v, i) => !Object.is(v, got[i]));
  expect(first).toBe(-1);
}

describe("sortFloat64", () => {
  const rng = createRng(17);
  const rnd = () => rng.next();
  const of = (n: number, value: () => number) => Float64Array.from({ length: n }, value);

  it("gives the same order through a scratch it is handed, reused dirty across arrays, or one too small", () => {
    const scratch = new Uint32Array(2 * 100_003);
    for (const n of [100_003, 40_000, 70_001, 200_000, 33_000]) {
      const values = of(n, () =>
        rnd() < 0.1 ? (rnd() < 0.5 ? -0 : 0) : Math.round((rnd() - 0.5) * 1e5) / 7,
      );
      const expected = values.slice().sort();
      const got = sortFloat64(values, scratch);
      expect(got.findIndex((v, i) => !Object.is(v, expected[i]))).toBe(-1);
    }
  });

  it("gives the built-in sort's order on awkward data (ties, ±0, negatives, subnormals, infinities, a huge range)", () => {
    const awkward = [0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, 1, -1];
    // 16,384 and 32,767: the 11-bit digits' smallest and largest arrays; 32,768 on: 16-bit digits.
    for (const n of [16_384, 20_000, 32_767, 32_768, 100_003]) {
      expectBuiltInOrder(of(n, () => Math.floor(rnd() * 72))); // integers: two passes skipped
      expectBuiltInOrder(of(n, () => Math.round(rnd() * 10_000) / 100)); // money, many ties
      expectBuiltInOrder(of(n, () => (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20)));
      expectBuiltInOrder(of(n, () => awkward[Math.floor(rnd() * awkward.length)]!));
      expectBuiltInOrder(of(n, () => 3)); // one value: every pass skipped
    }
  });

  it("sorts in place and returns the array, also a view into a larger buffer", () => {
    const buffer = new Float64Array(40_000).map(() => rnd() - 0.5);
    const view = buffer.subarray(1_000, 39_000);
    const before = buffer[0];
    expect(sortFloat64(view)).toBe(view);
    expect(view.every((v, i) => i === 0 || view[i - 1]! <= v)).toBe(true);
    expect(buffer[0]).toBe(before);
  });

  it("returns an array already in order as it is, and sorts one that is in order but for ±0 or a NaN", () => {
    const sorted = of(40_000, () => Math.floor(rnd() * 50) - 25).sort();
    const copy = sorted.slice();
    expect(sortFloat64(sorted)).toBe(sorted);
    expect(Array.from(sorted)).toEqual(Array.from(copy));
    // +0 before −0 is out of order (the built-in sort puts −0 first), as is a NaN anywhere but last.
    const zeros = Float64Array.from({ length: 40_000 }, (_, i) => (i < 20_000 ? -1 : i < 30_000 ? 0 : 1));
    zeros[29_999] = -0;
    expectBuiltInOrder(zeros);
    expect(Object.is(sortFloat64(zeros.slice())[20_000], -0)).toBe(true);
    const nanFirst = sorted.slice();
    nanFirst[0] = Number.NaN;
    expectBuiltInOrder(nanFirst);
  });

  it("leaves short arrays and arrays holding NaN to the built-in sort (NaN last)", () => {
    expectBuiltInOrder(Float64Array.of(3, -0, 0, Number.NaN, -2));
    const withNaN = of(30_000, () => rnd());
    withNaN[7] = Number.NaN;
    expectBuiltInOrder(withNaN);
    expect(Number.isNaN(sortFloat64(withNaN)[29_999]!)).toBe(true);
  });
});
