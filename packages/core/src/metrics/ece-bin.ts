/**
 * The calibration bin of a probability: bin `m` (0-based) holds `((m)/M, (m+1)/M]`, the
 * right-closed intervals of Guo et al. (2017), with 0 in the first bin and values outside [0, 1]
 * clamped to the end bins. Edges are compared as `m / M` so `0.3` lands in `(0.2, 0.3]` even though
 * `0.3 * 10` is `3.0000000000000004` in floating point.
 *
 * @see https://arxiv.org/abs/1706.04599 (Guo et al., "On Calibration of Modern Neural Networks", §2)
 * @example
 * eceBin(0.3, 10); // 2
 * eceBin(0.31, 10); // 3
 * eceBin(0, 10); // 0
 */
export function eceBin(p: number, bins: number): number {
  let b = Math.ceil(p * bins) - 1;
  if (b < 0) return 0;
  if (b > bins - 1) return bins - 1;
  if (b > 0 && p <= b / bins) b--;
  else if (b < bins - 1 && p > (b + 1) / bins) b++;
  return b;
}

/** Number of equal-width bins on [0, 1] that `ece` uses. */
export const ECE_BINS = 10;
