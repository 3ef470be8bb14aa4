import { normalCdf, normalQuantile } from "../stats/normal.js";

/**
 * The quantile levels of the BCa interval (Efron 1987; Efron & Tibshirani 1993, §14.3): with
 * `z0 = Φ⁻¹(share of replicates below the estimate)` (the median bias) and the acceleration `a`,
 * each nominal level α moves to `Φ(z0 + (z0 + zα) / (1 − a (z0 + zα)))`. The share is kept within
 * half a replicate of 0 and 1, so z0 stays finite; replicates equal to the estimate count half.
 *
 * @see https://doi.org/10.1080/01621459.1987.10478410
 * @example
 * bcaLevels(draws, 0.48, 0.02, 0.95); // [0.031, 0.982]: both ends move up for a right-skewed mean
 */
export function bcaLevels(
  draws: Float64Array,
  estimate: number,
  a: number,
  confidence: number,
): [number, number] {
  let below = 0;
  let defined = 0;
  for (const d of draws) {
    if (Number.isNaN(d)) continue;
    defined++;
    if (d < estimate) below++;
    else if (d === estimate) below += 0.5;
  }
  if (defined === 0) return [(1 - confidence) / 2, (1 + confidence) / 2];
  const share = Math.min(Math.max(below / defined, 0.5 / defined), 1 - 0.5 / defined);
  const z0 = normalQuantile(share);
  const level = (alpha: number) => {
    const z = z0 + normalQuantile(alpha);
    return normalCdf(z0 + z / (1 - a * z));
  };
  return [level((1 - confidence) / 2), level((1 + confidence) / 2)];
}
