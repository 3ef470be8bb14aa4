import { kolmogorovSf } from "./kolmogorov-sf.js";
import { ksExactPValue } from "./ks-exact-p-value.js";
import { roundHalfEven } from "./round-half-even.js";
import { sortWeighted, type WeightedSample } from "./weighted-sample.js";

/** Largest sample size for which `method: "auto"` uses the exact distribution, as SciPy. */
export const KS_EXACT_MAX_N = 10_000;

/** How the p-value of a KS test is computed. */
export type KsMethod = "auto" | "exact" | "asymptotic";

/** The two-sample Kolmogorov–Smirnov test's result, or why it is undefined. */
export type KsTestResult =
  | {
      /** sup |F₁ - F₂| over the pooled values. */
      statistic: number;
      /** Two-sided p-value. */
      pValue: number;
      /** Which null distribution produced `pValue`. */
      method: "exact" | "asymptotic";
      /** The smallest value at which the statistic is attained. */
      location: number;
      /** +1 when F₁ - F₂ is largest there, -1 when F₂ - F₁ is. */
      sign: 1 | -1;
      /** The sample sizes the p-value was computed for. */
      sizes: [number, number];
      reason?: undefined;
    }
  | { statistic: null; pValue: null; reason: string };

/**
 * Two-sample Kolmogorov–Smirnov test between two empirical distributions given as values with
 * counts (or weights): the form of a column profile's quantile sketch, so drift can be tested in a
 * stream without keeping the rows.
 *
 * The statistic is exact: the largest gap between the two weighted ECDFs, evaluated at every
 * distinct value (ties handled as in `scipy.stats.ks_2samp`). The p-value uses the sample sizes
 * `sizes` (default: the total weights, i.e. weights are frequencies) and, like `ks_2samp` with
 * `method="auto"`, the exact distribution when both sizes are integers and at most 10,000 (the
 * statistic is then reported rounded to the attainable lattice `h / lcm(n1, n2)`, as SciPy does),
 * and otherwise Smirnov's asymptotic one: `kstwo.sf(D, round(n1·n2 / (n1 + n2)))`. With counts of
 * a raw sample this returns exactly what {@link ksTest} returns for the raw sample. With a sketch's
 * weights the statistic carries the sketch's rank error (see `kllSketch`) and pass the true row
 * counts as `sizes`.
 *
 * Degenerate cases: an empty side (total weight 0) gives `statistic: null` with a reason; two
 * constant samples give `D = 0` (same value, p = 1) or `D = 1`.
 *
 * https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test#Two-sample_Kolmogorov%E2%80%93Smirnov_test
 *
 * @example
 * ksTestFromCounts({ values: [1, 2], weights: [2, 1] }, { values: [2, 3], weights: [1, 2] });
 * // { statistic: 0.6666666666666666, pValue: 0.6, method: "exact", location: 2, sign: 1, sizes: [3, 3] }
 */
export function ksTestFromCounts(
  a: WeightedSample,
  b: WeightedSample,
  options: { sizes?: [number, number]; method?: KsMethod } = {},
): KsTestResult {
  const x = sortWeighted(a);
  const y = sortWeighted(b);
  const totalX = sum(x.weights);
  const totalY = sum(y.weights);
  if (totalX === 0) return { statistic: null, pValue: null, reason: "the first sample is empty" };
  if (totalY === 0) return { statistic: null, pValue: null, reason: "the second sample is empty" };
  const [n1, n2] = options.sizes ?? [totalX, totalY];
  if (!(n1 > 0 && n2 > 0))
    throw new RangeError(`ksTestFromCounts: sizes must be positive, got ${n1} and ${n2}`);

  let i = 0;
  let j = 0;
  let cumX = 0;
  let cumY = 0;
  let maxDiff = Number.NEGATIVE_INFINITY;
  let maxAt = Number.NaN;
  let minDiff = Number.POSITIVE_INFINITY;
  let minAt = Number.NaN;
  while (i < x.values.length || j < y.values.length) {
    const vx = i < x.values.length ? x.values[i]! : Number.POSITIVE_INFINITY;
    const vy = j < y.values.length ? y.values[j]! : Number.POSITIVE_INFINITY;
    const v = Math.min(vx, vy);
    if (vx === v && i < x.values.length) cumX += x.weights[i++]!;
    if (vy === v && j < y.values.length) cumY += y.weights[j++]!;
    const diff = cumX / totalX - cumY / totalY;
    if (diff > maxDiff) {
      maxDiff = diff;
      maxAt = v;
    }
    if (diff < minDiff) {
      minDiff = diff;
      minAt = v;
    }
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  const negative = minS > maxDiff;
  let statistic = negative ? minS : maxDiff;
  const location = negative ? minAt : maxAt;
  const sign = negative ? -1 : 1;

  const method = options.method ?? "auto";
  const exactPossible = Number.isInteger(n1) && Number.isInteger(n2);
  const useExact =
    exactPossible && (method === "exact" || (method === "auto" && Math.max(n1, n2) <= KS_EXACT_MAX_N));
  if (useExact) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    statistic = roundHalfEven(statistic * lcm) / lcm;
    return {
      statistic,
      pValue: ksExactPValue(n1, n2, statistic),
      method: "exact",
      location,
      sign,
      sizes: [n1, n2],
    };
  }
  const [big, small] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const effective = Math.max(1, roundHalfEven((big * small) / (big + small)));
  const pValue = kolmogorovSf(effective, statistic);
  return { statistic, pValue, method: "asymptotic", location, sign, sizes: [n1, n2] };
}

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
