import { describe, expect, it } from "vitest";
import { sortWeighted, weightedSorted } from "./weighted-sample.js";

describe("sortWeighted", () => {
  it("sorts, merges equal values and drops NaN values and zero weights", () => {
    expect(sortWeighted({ values: [2, 1, 2, Number.NaN, 7], weights: [1, 1, 0.5, 3, 0] })).toEqual({
      values: [1, 2],
      weights: [1, 1.5],
    });
  });

  it("gives a sample that is already sorted and distinct back as it is", () => {
    const sample = weightedSorted(Float64Array.of(-1, 0.5, 0.5, 3));
    expect([...sample.values, ...sample.weights]).toEqual([-1, 0.5, 3, 1, 2, 1]);
    expect(sortWeighted(sample)).toEqual(sample);
    expect(sortWeighted(sample).values).toBe(sample.values);
    // Sorted but with a repeat, or a zero weight: the general path still merges and drops.
    expect(sortWeighted({ values: [1, 1, 2], weights: [1, 1, 1] })).toEqual({
      values: [1, 2],
      weights: [2, 1],
    });
    expect(sortWeighted({ values: [1, 2, 3], weights: [1, 0, 1] })).toEqual({
      values: [1, 3],
      weights: [1, 1],
    });
  });

  it("refuses negative or non-finite weights on either path", () => {
    expect(() => sortWeighted({ values: [1, 2], weights: [1, -1] })).toThrow(RangeError);
    expect(() => sortWeighted({ values: [1, 2], weights: [1, Number.POSITIVE_INFINITY] })).toThrow(
      RangeError,
    );
  });
});
