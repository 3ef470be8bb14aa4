import { normalQuantile } from "./normal.js";

/**
 * The Wilson score interval of a binomial proportion `successes / n`
 * (https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Wilson_score_interval):
 * unlike the normal approximation it stays inside [0, 1] and is not degenerate at 0 or n
 * successes. `null` when `n` is 0.
 *
 * @example
 * wilsonInterval(0, 100); // [0, 0.037] (approximately)
 * wilsonInterval(10, 100); // [0.0552, 0.1744] (approximately)
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): [number, number] | null {
  if (!(n > 0)) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
