// Lanczos coefficients for g = 671/128 (Press et al., Numerical Recipes 3rd ed., §6.1): full
// double precision for x > 0.
const COF = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 0.00003399464998481189,
  0.00004652362892704858, -0.00009837447530487956, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 0.00008441822398385275, -0.000026190838401581408,
  0.0000036899182659531625,
];

/**
 * Natural logarithm of the gamma function for `x > 0`, by the Lanczos approximation.
 *
 * https://en.wikipedia.org/wiki/Lanczos_approximation
 *
 * @example
 * logGamma(5); // 3.1780538303479458 (= ln 24)
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  let y = x;
  const tmp0 = x + 5.2421875;
  const tmp = (x + 0.5) * Math.log(tmp0) - tmp0;
  let ser = 0.9999999999999971;
  for (const c of COF) ser += c / ++y;
  return tmp + Math.log((2.5066282746310007 * ser) / x);
}
