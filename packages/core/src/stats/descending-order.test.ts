import { describe, expect, it } from "vitest";
import { descendingOrder } from "./descending-order.js";

const comparator = (values: Float64Array) => {
  const order = Uint32Array.from({ length: values.length }, (_, i) => i);
  return order.sort((a, b) => values[b]! - values[a]! || a - b);
};

describe("descendingOrder", () => {
  it("gives the comparator sort's order on awkward data: ties, ±0, a narrow range, negatives, both sides of the radix switch", () => {
    let s = 3;
    const rnd = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const cases: Float64Array[] = [
      // Probabilities on a coarse grid: most values tied.
      Float64Array.from({ length: 50_000 }, () => Math.round(rnd() * 100) / 100),
      // A 1e-9-wide range, continuous.
      Float64Array.from({ length: 40_000 }, () => 0.5 + rnd() * 1e-9),
      // Signs, zeros of both signs, integers, extremes.
      Float64Array.from({ length: 30_000 }, (_, i) =>
        i % 7 === 0 ? (i % 2 ? -0 : 0) : i % 5 === 0 ? Math.round(rnd() * 10) - 5 : (rnd() - 0.5) * 1e300,
      ),
      // Every value the same (every pass skipped).
      new Float64Array(20_000).fill(0.25),
      // Small: the comparator path.
      Float64Array.of(0.2, 0.9, 0.2, -0, 0, 1),
    ];
    for (const values of cases) {
      const got = descendingOrder(values, new Uint32Array(values.length));
      expect(got).toEqual(comparator(values));
    }
  });

  it("reads ascending values' order off their runs of equal values: ties, ±0, infinities, both sides of the radix switch", () => {
    const cases: Float64Array[] = [
      // Probabilities on a coarse grid, sorted: long ties.
      Float64Array.from({ length: 50_000 }, (_, i) => Math.floor(i / 500) / 100),
      // Zeros of both signs in either order inside one tie, infinities at the ends.
      Float64Array.of(-Infinity, -Infinity, -1, -0, 0, -0, 0, 0.5, 0.5, Infinity, Infinity),
      // Strictly increasing, and every value the same.
      Float64Array.from({ length: 20_000 }, (_, i) => i / 20_000),
      new Float64Array(17).fill(0.25),
      // One descent at the very end: not ascending, sorted as usual.
      Float64Array.from({ length: 20_000 }, (_, i) => (i === 19_999 ? 0 : 1 + i)),
      new Float64Array(0),
    ];
    for (const values of cases) {
      expect(descendingOrder(values, new Uint32Array(values.length))).toEqual(comparator(values));
    }
  });

  it("falls back to the comparator sort when a value is NaN", () => {
    const values = Float64Array.from({ length: 20_000 }, (_, i) => (i === 5 ? Number.NaN : (i * 7919) % 101));
    expect(descendingOrder(values, new Uint32Array(values.length))).toEqual(comparator(values));
  });
});
