import { type KsMethod, type KsTestResult, ksTestFromCounts } from "./ks-test-from-counts.js";
import { countValues } from "./weighted-sample.js";

/**
 * Two-sample Kolmogorov–Smirnov test, as `scipy.stats.ks_2samp(a, b)` (two-sided,
 * `method="auto"`): the statistic is the largest gap between the two ECDFs; the p-value is exact
 * (the lattice-path distribution of Hodges 1958) when both samples have at most 10,000 values and
 * Smirnov's asymptotic `kstwo.sf(D, round(n1·n2/(n1+n2)))` otherwise. `method` forces one.
 *
 * `NaN` values (missing cells) are left out. Degenerate cases: an empty sample gives
 * `statistic: null` with a reason (SciPy raises); constant samples are fine (D is 0 or 1).
 * Ties are allowed; as in SciPy the exact p-value then assumes continuous data and is conservative.
 *
 * https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test#Two-sample_Kolmogorov%E2%80%93Smirnov_test
 *
 * @example
 * ksTest([1, 2, 3, 4, 5], [3.5, 6, 7, 8, 9]);
 * // { statistic: 0.8, pValue: 0.07936507936507936, method: "exact", location: 5, sign: 1, sizes: [5, 5] }
 */
export function ksTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { method?: KsMethod } = {},
): KsTestResult {
  const x = countValues(a);
  const y = countValues(b);
  return ksTestFromCounts(x, y, options.method ? { method: options.method } : {});
}
