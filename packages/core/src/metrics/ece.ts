import { BINARY_TALLY } from "./binary-pass.js";
import { type MetricOptions, type MetricValue, NO_ROWS } from "./metric-value.js";
import { tallyOf } from "./tally.js";

/**
 * Expected calibration error from a binary tally.
 *
 * @example
 * eceFromTally(Float64Array.of(1, 1, 0, 0, 0, 0, 0, 0, 0.5), 0); // { value: 0.25 }
 */
export function eceFromTally(t: Float64Array, o: number): MetricValue {
  const w = t[o + BINARY_TALLY.POS]! + t[o + BINARY_TALLY.NEG]!;
  return w === 0 ? { value: null, reason: NO_ROWS } : { value: t[o + BINARY_TALLY.ECE]! / w };
}

/**
 * Expected calibration error of positive-class probabilities (Naeini et al. 2015; Guo et al. 2017):
 * 10 equal-width bins `(m/10, (m+1)/10]` on [0, 1] (0 in the first; see `eceBin`), and
 * `ECE = Σ_bins (W_b / W) · |mean_w(y) − mean_w(p)|`, i.e. `Σ_b |Σ_b w·y − Σ_b w·p| / W`.
 * This is the binary reliability form (observed positive rate vs mean predicted probability),
 * not the top-label confidence form. Empty bins add nothing. scikit-learn has no ECE.
 *
 * @see https://arxiv.org/abs/1706.04599
 * @example
 * ece([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]); // { value: 0.175 }
 */
export function ece(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: MetricOptions = {},
): MetricValue {
  return eceFromTally(tallyOf("binary", labels, scores, options), 0);
}
