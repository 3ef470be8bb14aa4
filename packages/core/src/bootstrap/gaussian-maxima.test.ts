import { describe, expect, it } from "vitest";
import { normalQuantile } from "../stats/normal.js";
import { gaussianMaxima } from "./gaussian-maxima.js";
import { supTIntervals } from "./sup-t-intervals.js";

const block = (covariance: number[], points: number[], se: number[]) => ({
  members: points.map((point, k) => ({ point, se: se[k]!, range: [-1, 1] as [number, number] })),
  maxima: gaussianMaxima(Float64Array.from(covariance), 20_000, "7/test"),
});

describe("gaussianMaxima and the Gaussian blocks of supTIntervals", () => {
  it("finds Šidák's critical value for independent comparisons and 1.96 for identical ones", () => {
    const independent = supTIntervals([], 0.95, [block([1, 0, 0, 4], [0, 0], [1, 2])]);
    // Two independent |Z|: c = Φ⁻¹(1 − (1 − √0.95)/2) = 2.2365.
    expect(independent.critical).toBeCloseTo(normalQuantile(1 - (1 - Math.sqrt(0.95)) / 2), 1);
    const identical = supTIntervals([], 0.95, [block([1, 2, 2, 4], [0, 0], [1, 2])]);
    expect(identical.critical).toBeCloseTo(1.96, 1);
    // Two blocks are combined by the product (the Gaussian correlation inequality): as one independent pair.
    const two = supTIntervals([], 0.95, [block([1], [0], [1]), block([1], [0], [1])]);
    expect(two.critical).toBeCloseTo(independent.critical, 1);
  });

  it("gives intervals point ± c·se cut to the range, holding the point, and ignores zero-variance members", () => {
    const joint = supTIntervals([], 0.95, [block([1, 0, 0, 0], [0.9, 0.1], [0.1, 0.05])]);
    expect(joint.critical).toBeCloseTo(1.96, 1);
    expect(joint.blocks[0]![0]![1]).toBe(1);
    expect(joint.blocks[0]![0]![0]).toBeCloseTo(0.9 - joint.critical * 0.1, 12);
    expect(gaussianMaxima(Float64Array.of(0), 10, "x").length).toBe(0);
  });

  it("combines a bootstrap family and a Gaussian block by the union bound: wider than either alone", () => {
    const replicates = Float64Array.from({ length: 2000 }, (_, r) => normalQuantile((r + 0.5) / 2000));
    const family = [{ point: 0, replicates, range: [-1, 1] as [number, number] }];
    const alone = supTIntervals(family, 0.95).critical;
    const both = supTIntervals(family, 0.95, [block([1], [0], [1])]).critical;
    expect(alone).toBeCloseTo(1.96, 1);
    // Each side at 2.5%: Φ⁻¹(0.9875) = 2.24.
    expect(both).toBeCloseTo(normalQuantile(0.9875), 1);
  });
});
