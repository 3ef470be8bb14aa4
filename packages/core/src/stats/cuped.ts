/** Running sums of a metric y and its pre-period covariate x over one arm's units. */
export interface CovariateMoments {
  n: number;
  sumY: number;
  sumY2: number;
  sumX: number;
  sumX2: number;
  sumXY: number;
}

/** One arm's mean and the variance of that mean, after adjustment. */
export interface AdjustedMean {
  n: number;
  mean: number;
  /** Variance of one unit's (adjusted) value; the mean's variance is this / n. */
  unitVariance: number;
}

/**
 * CUPED (Deng, Xu, Kohavi & Walker 2013, "Improving the sensitivity of online controlled
 * experiments by utilizing pre-experiment data"): each arm's mean of y − θ(x − x̄), with θ =
 * cov(x, y) / var(x) pooled over both arms, so the difference of the arms' means is unchanged in
 * expectation while its variance shrinks by the factor 1 − ρ². Without a covariate (`sumX2` all
 * zero, or x constant) θ is 0 and the plain means come back. Arms with fewer than two units have
 * a variance of NaN (undefined).
 *
 * @example
 * const [a, b] = cuped([armA, armB]); // b.mean - a.mean: the adjusted difference
 */
export function cuped(arms: readonly CovariateMoments[]): AdjustedMean[] {
  const pooled = arms.reduce(
    (s, a) => ({
      n: s.n + a.n,
      sumY: s.sumY + a.sumY,
      sumY2: s.sumY2 + a.sumY2,
      sumX: s.sumX + a.sumX,
      sumX2: s.sumX2 + a.sumX2,
      sumXY: s.sumXY + a.sumXY,
    }),
    { n: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 },
  );
  const meanX = pooled.n > 0 ? pooled.sumX / pooled.n : 0;
  const varX = pooled.n > 1 ? (pooled.sumX2 - pooled.n * meanX ** 2) / (pooled.n - 1) : 0;
  const covXY = pooled.n > 1 ? (pooled.sumXY - (pooled.sumX * pooled.sumY) / pooled.n) / (pooled.n - 1) : 0;
  const theta = varX > 1e-12 ? covXY / varX : 0;
  return arms.map((a) => {
    if (a.n === 0) return { n: 0, mean: Number.NaN, unitVariance: Number.NaN };
    const mean = (a.sumY - theta * (a.sumX - a.n * meanX)) / a.n;
    if (a.n < 2) return { n: a.n, mean, unitVariance: Number.NaN };
    const mx = a.sumX / a.n;
    const my = a.sumY / a.n;
    const vy = (a.sumY2 - a.n * my * my) / (a.n - 1);
    const vx = (a.sumX2 - a.n * mx * mx) / (a.n - 1);
    const cxy = (a.sumXY - a.n * mx * my) / (a.n - 1);
    return { n: a.n, mean, unitVariance: Math.max(0, vy - 2 * theta * cxy + theta * theta * vx) };
  });
}
