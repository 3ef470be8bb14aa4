import { logGamma } from "./log-gamma.js";

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/**
 * Regularised upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a)`, as
 * `scipy.special.gammaincc(a, x)`, for `a > 0` and `x ≥ 0`.
 *
 * Uses the power series of `P = 1 - Q` below `x < a + 1` (where Q is not small) and Legendre's
 * continued fraction, evaluated by the modified Lentz method, above; the continued fraction gives Q
 * directly, so tiny upper tails keep their relative precision down to the smallest doubles.
 *
 * https://en.wikipedia.org/wiki/Incomplete_gamma_function#Regularized_gamma_functions_and_Poisson_random_variables ·
 * https://dlmf.nist.gov/8.9
 *
 * @example
 * regularizedGammaQ(1, 2); // 0.1353352832366127 (= e⁻²)
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaQ: a must be > 0, got ${a}`);
  if (Number.isNaN(x) || x < 0) throw new RangeError(`regularizedGammaQ: x must be >= 0, got ${x}`);
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  const logPrefactor = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return Math.min(1, Math.max(0, 1 - sum * Math.exp(logPrefactor)));
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.min(1, Math.max(0, Math.exp(logPrefactor) * h));
}
