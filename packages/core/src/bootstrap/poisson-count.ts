/** Counts up to this are drawn exactly by inversion; larger ones by the corrected normal. */
export const EXACT_POISSON_MAX = 32;

// CDF[m][k] = P(Poisson(m) ≤ k) · 2³², until the tail is below 2⁻³² (k ≤ m + 12√m + 12 suffices).
const CDF: Float64Array[] = Array.from({ length: EXACT_POISSON_MAX + 1 }, (_, m) => {
  const out: number[] = [];
  let term = Math.exp(-m);
  let cdf = 0;
  for (let k = 0; cdf * 2 ** 32 < 2 ** 32 - 0.5 && k < m + 12 * Math.sqrt(m) + 12; k++) {
    cdf += term;
    term *= m / (k + 1);
    out.push(Math.floor(cdf * 2 ** 32));
  }
  out[out.length - 1] = 2 ** 32;
  return Float64Array.from(out);
});

// Standard normal quantiles at the edges of 4,096 equal-probability cells (the two outer edges at
// the outer cells' centres), rescaled to unit variance: a uniform picks a cell and its low bits
// interpolate across it, so a draw costs one lookup instead of a log and a cosine. The table is
// symmetric, so the draws are too; the tails stop at ±3.67 (probability 2.4·10⁻⁴).
const CELLS = 4096;
const NORMAL: Float64Array = (() => {
  const q = new Float64Array(CELLS + 1);
  q[0] = normalQuantile(0.5 / CELLS);
  for (let i = 1; i < CELLS / 2; i++) q[i] = normalQuantile(i / CELLS);
  for (let i = 0; i < CELLS / 2; i++) q[CELLS - i] = -q[i]!;
  // Variance of the piecewise-linear law: each cell contributes the mean of (a + (b − a)t)².
  let sq = 0;
  for (let i = 0; i < CELLS; i++) sq += (q[i]! * q[i]! + q[i]! * q[i + 1]! + q[i + 1]! * q[i + 1]!) / 3;
  const scale = Math.sqrt(CELLS / sq);
  return q.map((v) => v * scale);
})();

/**
 * A Poisson(`m`) count from one uniform 32-bit integer `u`, for the total weight of `m` identical
 * rows in a Poisson bootstrap replicate (a sum of `m` independent Poisson(1) weights is exactly
 * Poisson(`m`)). For `m ≤ 32` it inverts the exact CDF (each probability exact to 2⁻³²). Above, it
 * returns `m + √m·Z + (Z² − 1)/6` with `Z` standard normal: the Cornish–Fisher expansion, which
 * matches the Poisson's mean and skewness and its variance to `1 + 1/(18m)`; measured over 2²⁰
 * evenly spaced `u`, its CDF is within 5·10⁻⁴ of the Poisson CDF at every half-integer for
 * m = 33, 50 and 100 (and the gap shrinks as `m` grows). The result is then not an integer, which
 * no metric needs. `m = 0` gives 0.
 *
 * @see https://en.wikipedia.org/wiki/Cornish%E2%80%93Fisher_expansion
 * @example
 * poissonCount(1, 0); // 0 (u below e⁻¹ · 2³²)
 * poissonCount(1000, 2 ** 31); // ≈ 999.83 (the median of Poisson(1000))
 */
export function poissonCount(m: number, u: number): number {
  if (m <= EXACT_POISSON_MAX) {
    const cdf = CDF[m]!;
    let k = 0;
    while (u >= cdf[k]!) k++;
    return k;
  }
  const z = standardNormal(u);
  const w = m + Math.sqrt(m) * z + (z * z - 1) / 6;
  return w > 0 ? w : 0;
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2·10⁻⁹). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + 4.374664141464968) * q + 2.938163982698783) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + 2.506628277459239) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * A standard normal draw from one uniform 32-bit integer: the same unit-variance table as the
 * large-count Poisson draws (4,096 equal-probability cells, linear within a cell).
 *
 * @example
 * standardNormal(2 ** 31); // 0 (the median)
 */
export function standardNormal(u: number): number {
  const cell = u >>> 20;
  return NORMAL[cell]! + (NORMAL[cell + 1]! - NORMAL[cell]!) * ((u & 0xfffff) / 0x100000);
}
