/**
 * A two-sided always-valid confidence interval for an asymptotically normal estimate.
 * `low`/`high` bound the true value at every look simultaneously with probability ≥ 1 − alpha.
 */
export interface ConfidenceSequence {
  estimate: number;
  low: number;
  high: number;
}

/**
 * Half-width of the normal-mixture confidence sequence for an estimate with variance `variance`
 * (σ²/n, shrinking as data arrive) and mixing variance `mixing` (τ²): the set of θ the mixture
 * SPRT of Johari et al. (2017, "Peeking at A/B tests", §4: Λ = √(V/(V+τ²))·exp(τ²(θ̂−θ)²/(2V(V+τ²))))
 * does not reject at level alpha. By Ville's inequality it holds at every sample size at once,
 * so looking after every scheduled run keeps the error rate at alpha; Howard et al. (2021,
 * "Time-uniform, nonparametric, nonasymptotic confidence sequences", normal mixture, eq. 3.7)
 * give the same boundary; with estimated variances it is valid asymptotically (Waudby-Smith et
 * al. 2023, "Time-uniform central limit theory"). τ² is where the boundary is tightest: set it to
 * the variance expected at the planned sample size. Degenerate cases: a zero, negative or
 * non-finite variance has an infinite half-width (nothing is known), never NaN.
 *
 * @example
 * mixtureHalfWidth(0.0001, 0.0001, 0.05); // ≈ 0.0366 (a fixed-sample 95% interval is ±0.0196)
 */
export function mixtureHalfWidth(variance: number, mixing: number, alpha: number): number {
  if (!(variance > 0) || !Number.isFinite(variance) || !(mixing > 0)) return Number.POSITIVE_INFINITY;
  const total = variance + mixing;
  return Math.sqrt(((variance * total) / mixing) * (2 * Math.log(1 / alpha) + Math.log(total / variance)));
}

/**
 * The always-valid confidence sequence around `estimate` (see {@link mixtureHalfWidth}).
 *
 * @example
 * confidenceSequence(0.01, 0.0001, 0.0001, 0.05); // { estimate: 0.01, low: ≈ -0.0266, high: ≈ 0.0466 }
 */
export function confidenceSequence(
  estimate: number,
  variance: number,
  mixing: number,
  alpha: number,
): ConfidenceSequence {
  const half = mixtureHalfWidth(variance, mixing, alpha);
  return { estimate, low: estimate - half, high: estimate + half };
}

/**
 * How many times the current sample an estimate's confidence sequence needs before it excludes
 * `limit`, assuming the estimate stays where it is and the variance shrinks as 1/n: the smallest
 * factor k ≥ 1 (to 1%) with |estimate − limit| > half-width(variance / k). `null` when no amount
 * of data would decide at this estimate (it equals the limit) or when it needs more than 10⁶ times
 * the data; 1 when the sequence already excludes the limit.
 *
 * @example
 * dataFactorToDecide(0.01, 0, 0.0001, 0.0001, 0.05); // ≈ 16: about 16 times the data so far
 */
export function dataFactorToDecide(
  estimate: number,
  limit: number,
  variance: number,
  mixing: number,
  alpha: number,
): number | null {
  const gap = Math.abs(estimate - limit);
  const decided = (k: number) => gap > mixtureHalfWidth(variance / k, mixing, alpha);
  if (!(gap > 0) || !(variance > 0)) return null;
  if (decided(1)) return 1;
  let high = 2;
  while (!decided(high)) {
    high *= 2;
    if (high > 1e6) return null;
  }
  let low = high / 2;
  while (high / low > 1.01) {
    const mid = Math.sqrt(low * high);
    if (decided(mid)) high = mid;
    else low = mid;
  }
  return high;
}
