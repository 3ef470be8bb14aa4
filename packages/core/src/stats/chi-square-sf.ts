import { regularizedGammaQ } from "./regularized-gamma-q.js";

/**
 * Survival function of the chi-square distribution, `P(X ≥ x)` for `dof` degrees of freedom, as
 * `scipy.stats.chi2.sf(x, dof)`: the regularised upper incomplete gamma function `Q(dof/2, x/2)`.
 *
 * https://en.wikipedia.org/wiki/Chi-squared_distribution#Cumulative_distribution_function
 *
 * @example
 * chiSquareSf(3.84, 1); // 0.05004352124870519
 */
export function chiSquareSf(x: number, dof: number): number {
  if (!(dof > 0)) throw new RangeError(`chiSquareSf: dof must be > 0, got ${dof}`);
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}
