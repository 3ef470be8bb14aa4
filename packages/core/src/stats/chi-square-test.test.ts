import { describe, expect, it } from "vitest";
import { chiSquareSf } from "./chi-square-sf.js";
import { chiSquareTest } from "./chi-square-test.js";
import { nullRateChange } from "./null-rate-change.js";
import { unseenShare } from "./unseen-share.js";

const rel = (actual: number | null, expected: number, tol = 1e-9) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
};

describe("chiSquareSf", () => {
  it("matches scipy.stats.chi2.sf to 1e-9 relative, down to tiny tails", () => {
    // scipy.stats.chi2.sf(x, dof) for each pair
    const cases: [number, number, number][] = [
      [3.84, 1, 0.05004352124870519],
      [20, 10, 0.029252688076961124],
      [0.5, 7, 0.9994464813904249],
      [60, 2, 9.357622968840163e-14],
      [700, 3, 2.0991308534204487e-151],
      [1200, 40, 1.3710104166398896e-225],
    ];
    for (const [x, dof, expected] of cases) rel(chiSquareSf(x, dof), expected);
  });
});

describe("chiSquareTest", () => {
  // r = scipy.stats.chi2_contingency([ref, cur]); (r[0], r[1], r[2])   (default correction=True)
  const cases: [number[], number[], number, number, number][] = [
    [[10, 20, 30], [15, 15, 30], 1.7142857142857144, 0.42437284567695, 2],
    [[100, 50], [80, 90], 11.665409274821041, 0.0006367293418908711, 1],
    [[5000, 3000, 2000, 1000], [4000, 3500, 2600, 900], 233.0966770326038, 2.9597778653975208e-50, 3],
    [[120, 340, 560, 80, 15], [300, 310, 200, 400, 90], 504.7487030987929, 6.294690746714227e-108, 4],
    [[3, 4], [5, 2], 0.29166666666666663, 0.5891544654500582, 1],
  ];
  for (const [ref, cur, statistic, pValue, dof] of cases) {
    it(`matches chi2_contingency for [${ref}] vs [${cur}]`, () => {
      const r = chiSquareTest(ref, cur);
      rel(r.statistic, statistic);
      rel(r.pValue, pValue);
      expect(r.dof).toBe(dof);
    });
  }

  it("drops categories empty on both sides (SciPy would raise), keeping tiny p-values exact", () => {
    // scipy.stats.chi2_contingency([[900, 100], [100, 900]])
    const r = chiSquareTest({ a: 900, b: 100, c: 0 }, { a: 100, b: 900 });
    rel(r.statistic, 1276.802);
    rel(r.pValue, 1.2431034274428859e-279);
    expect(r.dof).toBe(1);
  });

  it("defines the degenerate cases", () => {
    expect(chiSquareTest([5], [7])).toEqual({ statistic: 0, pValue: 1, dof: 0, cramersV: 0 });
    expect(chiSquareTest([0, 0], [1, 2]).statistic).toBeNull();
  });
});

describe("unseenShare and nullRateChange", () => {
  it("measures the share of current rows with unseen categories", () => {
    expect(unseenShare(["AE", "SA"], { AE: 6, SA: 2, QA: 2 })).toEqual({ value: 0.2 });
    expect(unseenShare(["AE"], new Map([["AE", 3]]))).toEqual({ value: 0 });
    expect(unseenShare(["AE"], {}).value).toBeNull();
  });

  it("measures the absolute change of the null rate", () => {
    expect(nullRateChange(0.02, 0.07).value).toBeCloseTo(0.05, 12);
    expect(nullRateChange(null, 0.1).value).toBeNull();
  });
});
