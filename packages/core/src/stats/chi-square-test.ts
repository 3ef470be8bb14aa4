import { alignCounts, assertCounts, type CategoryCounts } from "./category-counts.js";
import { chiSquareSf } from "./chi-square-sf.js";

/** The chi-square test of a 2×k contingency table, or why it is undefined. */
export type ChiSquareTestResult =
  | {
      /** Pearson's chi-square statistic (Yates-corrected when `dof` is 1, as SciPy). */
      statistic: number;
      pValue: number;
      dof: number;
      /** Cramér's V from the uncorrected statistic: an effect size in [0, 1] that does not grow with n. */
      cramersV: number;
      reason?: undefined;
    }
  | { statistic: null; pValue: null; dof: null; cramersV: null; reason: string };

/**
 * Chi-square test of independence between "which sample" and "which category", as
 * `scipy.stats.chi2_contingency([refCounts, curCounts])` with its defaults: expected counts from
 * the margins, `dof = k - 1`, Yates' continuity correction only when `dof` is 1 (each cell moved
 * towards its expected count by at most 0.5), p-value from the chi-square survival function.
 *
 * Degenerate cases: categories that are 0 in both samples are left out (SciPy raises on a zero
 * expected count); an empty sample gives `statistic: null` with a reason; a single remaining
 * category gives `statistic: 0, pValue: 1, dof: 0` as SciPy.
 *
 * https://en.wikipedia.org/wiki/Pearson%27s_chi-squared_test#Testing_for_statistical_independence
 *
 * @example
 * chiSquareTest([10, 20, 30], [15, 15, 30]);
 * // { statistic: 1.7142857142857144, pValue: 0.42437284567695, dof: 2, cramersV: 0.11952286093343938 }
 */
export function chiSquareTest(refCounts: CategoryCounts, curCounts: CategoryCounts): ChiSquareTestResult {
  const aligned = alignCounts(refCounts, curCounts);
  assertCounts(aligned.left, "refCounts");
  assertCounts(aligned.right, "curCounts");
  const ref: number[] = [];
  const cur: number[] = [];
  for (let i = 0; i < aligned.left.length; i++) {
    if (aligned.left[i]! + aligned.right[i]! > 0) {
      ref.push(aligned.left[i]!);
      cur.push(aligned.right[i]!);
    }
  }
  const refTotal = ref.reduce((s, c) => s + c, 0);
  const curTotal = cur.reduce((s, c) => s + c, 0);
  if (refTotal === 0) return undefinedResult("the reference sample is empty");
  if (curTotal === 0) return undefinedResult("the current sample is empty");
  const dof = ref.length - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof: 0, cramersV: 0 };
  const total = refTotal + curTotal;
  let statistic = 0;
  let uncorrected = 0;
  for (let i = 0; i < ref.length; i++) {
    const column = ref[i]! + cur[i]!;
    for (const [observed, rowTotal] of [
      [ref[i]!, refTotal],
      [cur[i]!, curTotal],
    ] as const) {
      const expected = (rowTotal * column) / total;
      const diff = expected - observed;
      uncorrected += (diff * diff) / expected;
      const corrected = dof === 1 ? observed + Math.sign(diff) * Math.min(0.5, Math.abs(diff)) : observed;
      const d = corrected - expected;
      statistic += (d * d) / expected;
    }
  }
  return { statistic, pValue: chiSquareSf(statistic, dof), dof, cramersV: Math.sqrt(uncorrected / total) };
}

function undefinedResult(reason: string): ChiSquareTestResult {
  return { statistic: null, pValue: null, dof: null, cramersV: null, reason };
}
