import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import { aucVariance } from "./auc-variance.js";
import { confidenceSequence, dataFactorToDecide, mixtureHalfWidth } from "./confidence-sequence.js";
import { cuped } from "./cuped.js";
import { quantileSorted } from "./quantile.js";
import { sequentialSrm } from "./sequential-srm.js";

const close = (actual: number, expected: number, tol: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);

describe("mixtureHalfWidth", () => {
  it("is the mSPRT boundary √(V(V+τ²)/τ² · (2 log 1/α + log((V+τ²)/V)))", () => {
    // V = τ² = 1e-4, α = 0.05: √(2e-4 · (2 ln 20 + ln 2)) = 0.036564…
    close(mixtureHalfWidth(1e-4, 1e-4, 0.05), 0.0365641, 1e-6);
  });
  it("is wider than the fixed-sample interval and shrinks with more data", () => {
    expect(mixtureHalfWidth(1e-4, 1e-4, 0.05)).toBeGreaterThan(1.96 * 0.01);
    expect(mixtureHalfWidth(1e-5, 1e-4, 0.05)).toBeLessThan(mixtureHalfWidth(1e-4, 1e-4, 0.05));
  });
  it("knows nothing without a positive finite variance", () => {
    expect(mixtureHalfWidth(0, 1e-4, 0.05)).toBe(Number.POSITIVE_INFINITY);
    expect(mixtureHalfWidth(Number.NaN, 1e-4, 0.05)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("confidenceSequence", () => {
  it("covers the true mean at every one of many looks with probability ≥ 1 − α (seeded simulation)", () => {
    const rng = createRng("cs-coverage");
    const alpha = 0.05;
    let missed = 0;
    const runs = 400;
    for (let run = 0; run < runs; run++) {
      let n = 0;
      let sum = 0;
      let sum2 = 0;
      let miss = false;
      for (let look = 1; look <= 24 && !miss; look++) {
        for (let i = 0; i < 200; i++) {
          const x = rng.normal(0, 1);
          n++;
          sum += x;
          sum2 += x * x;
        }
        const mean = sum / n;
        const variance = (sum2 / n - mean * mean) / n;
        const cs = confidenceSequence(mean, variance, 1 / 1000, alpha);
        if (cs.low > 0 || cs.high < 0) miss = true;
      }
      if (miss) missed++;
    }
    // Nominal 5%; the mixture boundary is conservative at 24 looks. Binomial sd at 400 runs ≈ 1.1%.
    expect(missed / runs).toBeLessThanOrEqual(alpha + 0.02);
  });
});

describe("dataFactorToDecide", () => {
  it("finds the factor at which the sequence first excludes the limit", () => {
    const k = dataFactorToDecide(0.01, 0, 1e-4, 1e-4, 0.05)!;
    expect(mixtureHalfWidth(1e-4 / k, 1e-4, 0.05)).toBeLessThan(0.01);
    expect(mixtureHalfWidth((1e-4 / k) * 1.02, 1e-4, 0.05)).toBeGreaterThan(0.01);
  });
  it("is 1 when already decided and null when the estimate sits on the limit", () => {
    expect(dataFactorToDecide(1, 0, 1e-4, 1e-4, 0.05)).toBe(1);
    expect(dataFactorToDecide(0, 0, 1e-4, 1e-4, 0.05)).toBeNull();
  });
});

describe("sequentialSrm", () => {
  it("accepts a split near the configured share and flags a broken one", () => {
    expect(sequentialSrm(480, 10_000, 0.05, 0.001).mismatch).toBe(false);
    const broken = sequentialSrm(300, 10_000, 0.05, 0.001);
    expect(broken.mismatch).toBe(true);
    expect(broken.pValue).toBeLessThan(1e-6);
  });
  it("reports the one-look chi-square p-value as scipy.stats.chisquare does", () => {
    // scipy.stats.chisquare([480, 9520], [500, 9500]).pvalue = 0.35880
    close(sequentialSrm(480, 10_000, 0.05, 0.001).chiSquarePValue, 0.358795, 1e-5);
  });
  it("has no requests and a full share as degenerate cases", () => {
    expect(sequentialSrm(0, 0, 0.05, 0.001)).toMatchObject({ pValue: 1, mismatch: false, observed: null });
    expect(sequentialSrm(10, 10, 1, 0.001).mismatch).toBe(false);
    expect(sequentialSrm(9, 10, 1, 0.001).mismatch).toBe(true);
  });
  it("keeps its false-alarm rate at alpha over 24 looks (seeded simulation)", () => {
    const rng = createRng("srm-null");
    let alarms = 0;
    for (let run = 0; run < 300; run++) {
      let treated = 0;
      let total = 0;
      for (let look = 0; look < 24; look++) {
        for (let i = 0; i < 500; i++) {
          treated += rng.bernoulli(0.1);
          total++;
        }
        if (sequentialSrm(treated, total, 0.1, 0.05).mismatch) {
          alarms++;
          break;
        }
      }
    }
    expect(alarms / 300).toBeLessThanOrEqual(0.05 + 0.02);
  });
});

describe("cuped", () => {
  const moments = (ys: number[], xs: number[]) => ({
    n: ys.length,
    sumY: ys.reduce((s, v) => s + v, 0),
    sumY2: ys.reduce((s, v) => s + v * v, 0),
    sumX: xs.reduce((s, v) => s + v, 0),
    sumX2: xs.reduce((s, v) => s + v * v, 0),
    sumXY: ys.reduce((s, v, i) => s + v * xs[i]!, 0),
  });
  it("removes the covariate's share of the variance and keeps the difference unbiased", () => {
    const rng = createRng("cuped");
    const arms = [0, 0.5].map((effect) => {
      const xs = Array.from({ length: 2000 }, () => rng.normal(10, 2));
      const ys = xs.map((x) => x + effect + rng.normal(0, 0.5));
      return { xs, ys };
    });
    const [a, b] = cuped(arms.map(({ ys, xs }) => moments(ys, xs)));
    close(b!.mean - a!.mean, 0.5, 0.05);
    // Var(y) = 4.25, residual 0.25: the adjustment keeps about 6% of it.
    expect(a!.unitVariance).toBeLessThan(0.3);
    const [plainA] = cuped(
      arms.map(({ ys }) =>
        moments(
          ys,
          ys.map(() => 0),
        ),
      ),
    );
    close(plainA!.unitVariance, 4.25, 0.4);
  });
  it("has an undefined variance with fewer than two units", () => {
    const [one] = cuped([moments([1], [1])]);
    expect(one!.mean).toBe(1);
    expect(Number.isNaN(one!.unitVariance)).toBe(true);
  });
});

describe("aucVariance and quantileSorted", () => {
  it("matches Hanley & McNeil's worked value and numpy's linear quantile", () => {
    // A = 0.8, 100 + 100: Q1 = 0.6667, Q2 = 0.7111 → variance 0.000984 (SE 0.0314)
    close(aucVariance(0.8, 100, 100), 0.000984, 1e-9);
    expect(Number.isNaN(aucVariance(0.8, 0, 10))).toBe(true);
    expect(quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5)).toBe(2.5);
    close(quantileSorted(Float64Array.of(1, 2, 3, 4, 10), 0.99)!, 9.76, 1e-9);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNull();
  });
});
