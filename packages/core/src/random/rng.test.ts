import { describe, expect, it } from "vitest";
import { createRng, seedFromString } from "./rng.js";

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

describe("createRng", () => {
  it("repeats the same sequence for the same seed and differs across seeds", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 20 }, () => a.next());
    const seqB = Array.from({ length: 20 }, () => b.next());
    const seqC = Array.from({ length: 20 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    expect(createRng("7/eval").next()).not.toBe(createRng("7/train").next());
  });

  it("keeps next() in [0, 1) with mean 1/2 and variance 1/12", () => {
    const rng = createRng(1);
    let min = 1;
    let max = 0;
    const m = moments(() => {
      const x = rng.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      return x;
    }, 200_000);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 2);
  });

  it("draws normals with the requested mean and standard deviation", () => {
    const rng = createRng(2);
    const m = moments(() => rng.normal(3, 2), 200_000);
    expect(Math.abs(m.mean - 3)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(m.variance) - 2)).toBeLessThan(0.03);
  });

  it("fills normals() with the very draws of successive normal() calls, and continues the stream", () => {
    // Odd and even lengths, starting with and without a spare half of a pair.
    for (const [before, length] of [
      [0, 7],
      [1, 7],
      [0, 8],
      [3, 1],
      [1, 0],
    ] as const) {
      const one = createRng("normals");
      const bulk = createRng("normals");
      for (let i = 0; i < before; i++) expect(bulk.normal()).toBe(one.normal());
      const filled = new Float64Array(length);
      bulk.normals(filled);
      const expected = Array.from({ length }, () => one.normal());
      expect(Array.from(filled)).toEqual(expected);
      expect(Array.from({ length: 3 }, () => bulk.normal())).toEqual(
        Array.from({ length: 3 }, () => one.normal()),
      );
      expect(bulk.next()).toBe(one.next());
    }
  });

  it("draws Poisson counts whose mean and variance both equal lambda", () => {
    for (const lambda of [0.7, 4, 50]) {
      const rng = createRng(3);
      const m = moments(() => rng.poisson(lambda), 100_000);
      expect(Math.abs(m.mean - lambda) / lambda).toBeLessThan(0.02);
      expect(Math.abs(m.variance - lambda) / lambda).toBeLessThan(0.05);
    }
    expect(createRng(3).poisson(0)).toBe(0);
  });

  it("covers every integer and every weighted index in proportion", () => {
    const rng = createRng(4);
    const counts = [0, 0, 0, 0, 0];
    const weightedCounts = [0, 0, 0];
    for (let i = 0; i < 50_000; i++) {
      counts[rng.int(5)]! += 1;
      weightedCounts[rng.weighted([0.7, 0, 0.3])]! += 1;
    }
    for (const c of counts) expect(Math.abs(c / 50_000 - 0.2)).toBeLessThan(0.01);
    expect(weightedCounts[1]).toBe(0);
    expect(Math.abs(weightedCounts[0]! / 50_000 - 0.7)).toBeLessThan(0.01);
    expect(() => rng.weighted([0, 0])).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it("hashes strings to stable unsigned 32-bit seeds", () => {
    expect(seedFromString("abc")).toBe(seedFromString("abc"));
    expect(seedFromString("abc")).not.toBe(seedFromString("abd"));
    expect(seedFromString("abc")).toBeGreaterThanOrEqual(0);
    expect(seedFromString("abc")).toBeLessThan(2 ** 32);
  });
});
