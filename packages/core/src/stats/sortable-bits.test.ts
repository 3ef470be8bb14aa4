import { describe, expect, it } from "vitest";
import { fromSortableBits, toSortableBits } from "./sortable-bits.js";

describe("toSortableBits", () => {
  const values = [
    -Infinity,
    -1e300,
    -2.5,
    -1,
    -Number.MIN_VALUE,
    -0,
    0,
    Number.MIN_VALUE,
    1e-9,
    1,
    2.5,
    1e300,
    Infinity,
  ];

  it("maps values so that unsigned order of (high, low) word pairs is numeric order, −0 before +0", () => {
    const words = toSortableBits(new Uint32Array(Float64Array.from(values).buffer), values.length);
    for (let i = 1; i < values.length; i++) {
      const [hiA, loA, hiB, loB] = [words[2 * i - 1]!, words[2 * i - 2]!, words[2 * i + 1]!, words[2 * i]!];
      expect(hiA < hiB || (hiA === hiB && loA < loB), `${values[i - 1]} before ${values[i]}`).toBe(true);
    }
  });

  it("is undone by fromSortableBits, bit for bit, and leaves words past n alone", () => {
    const keys = Float64Array.from([...values, 7]);
    const words = new Uint32Array(keys.buffer);
    fromSortableBits(toSortableBits(words, values.length), values.length);
    expect(Array.from(keys)).toEqual([...values, 7]);
    expect(Object.is(keys[5], -0)).toBe(true);
  });
});
