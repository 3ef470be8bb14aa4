import { smirnovSf } from "./smirnov-sf.js";

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const LOG_2PI = Math.log(2 * Math.PI);
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

/**
 * Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic Dₙ, `P(Dₙ ≥ d)`, as
 * `scipy.stats.kstwo.sf(d, n)`.
 *
 * Follows the method selection of Simard & L'Ecuyer (2011) that SciPy uses, branch for branch, so
 * the approximations agree too: the Ruben–Gambino closed forms at the ends of the support; twice the
 * one-sided {@link smirnovSf} for `d ≥ 0.5` and in the far tail (`nd² ≥ 2.2` when `n > 140`,
 * `nd² > 4` otherwise); the Durbin matrix (Marsaglia–Tsang–Wang) and Pomeranz recursions, both
 * exact, for `n ≤ 140`; Durbin for `n ≤ 100,000` with `n·d^1.5 ≤ 1.4`; Pelz–Good's asymptotic
 * series otherwise.
 *
 * https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test#Kolmogorov_distribution ·
 * Simard, R., L'Ecuyer, P., "Computing the Two-Sided Kolmogorov-Smirnov Distribution", JSS 39(11), 2011
 *
 * @example
 * kolmogorovSf(10, 0.3); // 0.27053557479999946 (scipy.stats.kstwo.sf(0.3, 10))
 */
export function kolmogorovSf(n: number, d: number): number {
  if (!(n >= 1 && Number.isInteger(n)))
    throw new RangeError(`kolmogorovSf: n must be a positive integer, got ${n}`);
  if (Number.isNaN(d)) throw new RangeError("kolmogorovSf: d is NaN");
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));

  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 0.754693) return clip01(1 - durbinCdf(n, d));
    if (nd2 <= 4) return clip01(1 - pomeranzCdf(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  return clip01(1 - cdf);
}

/** log(n! / nⁿ) by Stirling's series. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** P(Dₙ < d) by Durbin's matrix formula, with Marsaglia–Tsang–Wang's scaling. */
function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  if (d >= 1) return 1;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!;
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  let nn = n;
  while (nn > 0) {
    if (nn % 2 === 1) {
      power = matMul(power, H, m);
      exponent += hExponent;
    }
    H = matMul(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > E128) {
      for (let i = 0; i < H.length; i++) H[i]! /= E128;
      hExponent += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      exponent -= 128;
    }
  }
  return clip01(ldexp(p, exponent));
}

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += ail * b[l * m + j]!;
    }
  }
  return out;
}

/** P(Dₙ < d) by Pomeranz's recursion (1974), as arranged by Simard & L'Ecuyer. */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * (g / n)) / m;
    twogpower[m] = (twogpower[m - 1]! * ((2 * g) / n)) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * ((1 - 2 * g) / n)) / m;
  }
  const interval = (i: number): [number, number] => {
    let j1: number;
    let j2: number;
    if (i === 0) {
      j1 = -ll - ceilf - 1;
      j2 = ll + ceilf - 1;
    } else {
      const half = Math.floor((i + 1) / 2);
      if ((i + 1) % 2 === 0) {
        if (half === n + 1) {
          j1 = n - ll - ceilf - 1;
          j2 = n + ll + ceilf - 1;
        } else {
          j1 = half - 1 - ll - roundf - 1;
          j2 = half + ll - 1 + ceilf - 1;
        }
      } else {
        j1 = half - 1 - ll - 1;
        j2 = half + ll + roundf - 1;
      }
    }
    return [Math.max(j1 + 2, 0), Math.min(j2, n)];
  };

  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let exponent = 0;
  let [j1, j2] = interval(0);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = interval(i);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 === 1 ? twogpower : onem2gpower;
    const len = j2 - k1 + 1;
    if (len > 0) {
      const start = j1 - k1;
      const count = j2 - j1 + 1;
      const base = k1 - v0s;
      let max = 0;
      for (let c = 0; c < count; c++) {
        // Entry start + c of the full convolution of V0[base .. base+len) with pwrs[0 .. len).
        const idx = start + c;
        let s = 0;
        for (let a = Math.max(0, idx - len + 1); a <= Math.min(idx, len - 1); a++) {
          const va = base + a < npwrs ? v0[base + a]! : 0;
          s += va * pwrs[idx - a]!;
        }
        v1[c] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < EM128) {
        for (let c = 0; c < npwrs; c++) v1[c]! *= E128;
        exponent -= 128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let ans = v1[n - v1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      exponent += 128;
    }
    ans *= m;
  }
  return clip01(ldexp(ans, exponent));
}

/** Pelz & Good's (1976) asymptotic series for P(Dₙ ≤ x). */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!;
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / divisors[i]!;

  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] = K[2]! + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = K[3]! + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2);
  return sum;
}

/** x · 2^e without overflowing or underflowing the intermediate power of two. */
function ldexp(x: number, e: number): number {
  if (e === 0) return x;
  const half = Math.trunc(e / 2);
  return x * 2 ** half * 2 ** (e - half);
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
