import { roundHalfEven } from "./round-half-even.js";

/**
 * Exact two-sided p-value of the two-sample Kolmogorov–Smirnov test, `P(D ≥ d)` under the null
 * hypothesis, for samples of sizes `n1` and `n2` without ties — the quantity `scipy.stats.ks_2samp`
 * computes with `method="exact"`.
 *
 * Under the null every interleaving of the two sorted samples is equally likely: a lattice path
 * from (0, 0) to (n1, n2). `D ≥ d` exactly when the path touches a point with
 * `|x/n1 - y/n2| ≥ d`. `d` is first rounded to the lattice of attainable values `h / lcm(n1, n2)`.
 * The probability of touching is accumulated directly (never as `1 - P(inside)`), walking the band
 * of inside points with the hypergeometric step probabilities, so every term is a positive
 * probability and small p-values keep their relative precision. Cost: O(n1 · band width) time,
 * O(n2) memory.
 *
 * https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test#Two-sample_Kolmogorov%E2%80%93Smirnov_test ·
 * Hodges, J.L., "The significance probability of the Smirnov two-sample test", Arkiv för Matematik 3 (1958)
 *
 * @example
 * ksExactPValue(5, 5, 0.8); // 0.07936507936507936 (scipy.stats.ks_2samp([1,2,3,4,5], [3.5,6,7,8,9]).pvalue)
 */
export function ksExactPValue(n1: number, n2: number, d: number): number {
  if (!(Number.isInteger(n1) && Number.isInteger(n2) && n1 >= 1 && n2 >= 1)) {
    throw new RangeError(`ksExactPValue: sizes must be positive integers, got ${n1} and ${n2}`);
  }
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  if (h <= 0) return 1;
  // A point (x, y) is outside when |n2·x - n1·y| ≥ h·g, i.e. |x/n1 - y/n2| ≥ h/lcm.
  const limit = h * g;
  const m = n1;
  const n = n2;
  let current = new Float64Array(n + 2);
  let next = new Float64Array(n + 2);
  let outside = 0;
  current[0] = 1;
  let lo = 0;
  let hi = 0;
  for (let x = 0; x <= m; x++) {
    // Inside rows of this column: (n·x - limit)/m < y < (n·x + limit)/m.
    const yLo = Math.max(0, Math.floor((n * x - limit) / m) + 1);
    const yHi = Math.min(n, Math.ceil((n * x + limit) / m) - 1);
    const nextLo = Math.max(0, Math.floor((n * (x + 1) - limit) / m) + 1);
    const nextHi = Math.min(n, Math.ceil((n * (x + 1) + limit) / m) - 1);
    for (let y = yLo; y <= yHi; y++) {
      const mass = current[y]!;
      if (mass === 0) continue;
      const remaining = m - x + (n - y);
      if (remaining === 0) continue;
      if (y < n) {
        const flow = (mass * (n - y)) / remaining;
        if (y + 1 <= yHi) current[y + 1]! += flow;
        else outside += flow;
      }
      if (x < m) {
        const flow = (mass * (m - x)) / remaining;
        if (y >= nextLo && y <= nextHi) next[y]! += flow;
        else outside += flow;
      }
    }
    current.fill(0, Math.min(lo, yLo), Math.max(hi, yHi) + 1);
    [current, next] = [next, current];
    lo = nextLo;
    hi = nextHi;
  }
  return Math.min(1, Math.max(0, outside));
}

/** Greatest common divisor of two positive integers. */
function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
