import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import { normalQuantile } from "../stats/normal.js";
import { gaussianMaxima, maximaHere, maximaLength, runMaxima } from "./gaussian-maxima.js";
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

  it("draws the maxima of one normal() per member per draw, in order, sorted (blocks of the stream included)", () => {
    // The plain definition: draw d takes the next K normals; Cholesky factors known in closed form.
    const plain = (seed: string, draws: number, K: number, z: (u: number[]) => number[]) => {
      const rng = createRng(seed);
      return Array.from({ length: draws }, () => {
        const u = Array.from({ length: K }, () => rng.normal());
        return Math.max(0, ...z(u).map(Math.abs));
      }).sort((a, b) => a - b);
    };
    // Three independent members of unequal variance (L = I): 40,000 draws span two blocks of
    // 21,845 draws, whose 65,535 normals end half-way through a pair.
    const diagonal = gaussianMaxima(Float64Array.of(4, 0, 0, 0, 9, 0, 0, 0, 1), 40_000, "7/diagonal");
    expect(Array.from(diagonal)).toEqual(plain("7/diagonal", 40_000, 3, (u) => u));
    // Correlation 0.6, and a member without variance left out.
    const rho = 0.6;
    const covariance = Float64Array.of(1, 0, rho, 0, 0, 0, rho, 0, 1);
    const pair = plain("7/pair", 5_000, 2, ([a, b]) => [
      0 + 1 * a!,
      0 + rho * a! + Math.sqrt(1 - rho * rho) * b!,
    ]);
    expect(Array.from(gaussianMaxima(covariance, 5_000, "7/pair"))).toEqual(pair);
  });

  it("runs jobs in whatever order threads take them, each whole: the maxima of gaussianMaxima", () => {
    const jobs = [
      { covariance: Float64Array.of(1, 0.3, 0.3, 2), draws: 300, seed: "a" },
      { covariance: Float64Array.of(0), draws: 300, seed: "b" },
      { covariance: Float64Array.of(1), draws: 50, seed: "c" },
    ];
    const own = jobs.map((job) => gaussianMaxima(job.covariance, job.draws, job.seed));
    expect(jobs.map(maximaLength)).toEqual([300, 0, 50]);
    // Taken 2, 0, 1 (as two threads might), then one past the last.
    const order = [2, 0, 1, 3];
    const out = jobs.map((job) => new Float64Array(maximaLength(job)));
    runMaxima(jobs, out, () => order.shift()!);
    expect(out).toEqual(own);
    expect(maximaHere(jobs)()).toEqual(own);
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
