// Largest magnitude for which exp() is still a normal double, as in Cephes (`MINLOG`).
const MIN_LOG = -708.3964185322641;
const EPSILON = Number.EPSILON;

/**
 * Survival function of the one-sided Kolmogorov–Smirnov statistic D⁺ₙ: `P(D⁺ₙ ≥ x)` for a sample
 * of size `n`, as `scipy.special.smirnov(n, x)`.
 *
 * Computed with the Birnbaum–Tingey (Smirnov 1944) sum
 * `x · Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)`, whose terms are all positive,
 * so there is no cancellation. Like SciPy it uses closed forms for `x ≤ 1/n` and `x ≥ 1 - 1/n`,
 * returns 0 when `-2nx²` is below the smallest normal exponent, and uses the approximation
 * `exp(-(6nx + 1)² / 18n)` for `n > 1,000,000`, where the sum would take too long.
 *
 * https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test ·
 * van Mulbregt, "Computing the CDF and quantiles of the one-sided KS statistic", arXiv:1802.06966
 *
 * @example
 * smirnovSf(5, 0.5); // 0.056 (scipy.special.smirnov(5, 0.5))
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n >= 1 && Number.isInteger(n)))
    throw new RangeError(`smirnovSf: n must be a positive integer, got ${n}`);
  if (Number.isNaN(x)) throw new RangeError("smirnovSf: x is NaN");
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  if (n === 1) return 1 - x;

  const nx = n * x;
  const nxFloor = Math.floor(nx);
  const alpha = nx - nxFloor;
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    return clip01(1 - x * (1 + x) ** (n - 1));
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return clip01((1 - x) ** n);
  if (n > 1_000_000) {
    const logp = -((6 * nx + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }

  // Terms v = 0 .. ⌊n(1-x)⌋; when n(1-x) is an integer its last term is 0 and is left out.
  const lastV = n - nxFloor - 1;
  const nTerms = lastV + 1;
  // C(n, v) kept as mantissa · 2^exponent: it overflows a double long before n = 10⁶.
  let cMantissa = 1;
  let cExponent = 0;
  let sum = 0;
  for (let v = 0; v < nTerms; v++) {
    const a = x + v / n;
    const logTerm =
      Math.log(cMantissa) + cExponent * Math.LN2 + (v - 1) * Math.log(a) + (n - v) * Math.log1p(-a);
    const term = Math.exp(logTerm);
    sum += term;
    if (term > 0) {
      if (4 * (nTerms - v) * term < EPSILON * sum && v !== nTerms - 1) break;
    } else if (v > n / 2) {
      break;
    }
    cMantissa *= (n - v) / (v + 1);
    if (cMantissa > 2 ** 500) {
      cMantissa /= 2 ** 500;
      cExponent += 500;
    } else if (cMantissa < 2 ** -500) {
      cMantissa *= 2 ** 500;
      cExponent -= 500;
    }
  }
  return clip01(x * sum);
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
