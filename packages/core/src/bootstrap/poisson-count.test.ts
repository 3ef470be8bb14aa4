import { describe, expect, it } from "vitest";
import { EXACT_POISSON_MAX, poissonCount, standardNormal } from "./poisson-count.js";

// Draws at 2²⁰ evenly spaced uniforms: the empirical law of the sampler, without sampling noise.
function law(m: number) {
  const n = 2 ** 20;
  const draws = Float64Array.from({ length: n }, (_, i) => poissonCount(m, Math.floor((i + 0.5) * 2 ** 12)));
  const mean = draws.reduce((a, b) => a + b, 0) / n;
  const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return { draws, mean, variance };
}

describe("poissonCount", () => {
  it("inverts the exact Poisson CDF up to m = 32", () => {
    for (const m of [1, 5, EXACT_POISSON_MAX]) {
      const { draws } = law(m);
      let pmf = Math.exp(-m);
      for (let k = 0; k <= m + 10; k++) {
        const share = draws.filter((v) => v === k).length / draws.length;
        expect(Math.abs(share - pmf)).toBeLessThan(2 ** -19);
        pmf *= m / (k + 1);
      }
    }
    expect(poissonCount(0, 12345)).toBe(0);
  });
  it("matches the Poisson CDF within 5e-4 above m = 32, with mean m and variance m + 1/18", () => {
    for (const m of [33, 100]) {
      const { draws, mean, variance } = law(m);
      expect(Math.abs(mean - m)).toBeLessThan(0.01 * Math.sqrt(m));
      expect(Math.abs(variance - m - 1 / 18) / m).toBeLessThan(0.003);
      const sorted = draws.sort();
      let cdf = 0;
      let pmf = Math.exp(-m);
      for (let k = 0; k < 2 * m; k++) {
        cdf += pmf;
        pmf *= m / (k + 1);
        let below = 0;
        while (below < sorted.length && sorted[below]! <= k + 0.5) below++;
        expect(Math.abs(below / sorted.length - cdf)).toBeLessThan(5e-4);
      }
    }
  });
  it("draws standard normals that are symmetric with unit variance", () => {
    const n = 2 ** 16;
    const z = Float64Array.from({ length: n }, (_, i) => standardNormal(Math.floor((i + 0.5) * 2 ** 16)));
    const mean = z.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(1e-9);
    expect(Math.abs(z.reduce((a, b) => a + b * b, 0) / n - 1)).toBeLessThan(1e-3);
  });
});
