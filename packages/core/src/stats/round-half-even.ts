/**
 * Round to the nearest integer, halves to the even neighbour, as NumPy's `np.round` (which SciPy
 * applies to `d · lcm(n1, n2)` and to the effective sample size of the KS test).
 *
 * https://en.wikipedia.org/wiki/Rounding#Rounding_half_to_even
 *
 * @example
 * roundHalfEven(2.5); // 2
 * roundHalfEven(3.5); // 4
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
