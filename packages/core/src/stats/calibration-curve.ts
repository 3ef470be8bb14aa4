/** One bin of a {@link calibrationCurve}. */
export interface CalibrationBin {
  /** Score interval `(lower, upper]` (the first bin also holds `lower`). */
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted score in the bin (scikit-learn's `prob_pred`). */
  meanScore: number;
  /** Share of positive labels in the bin (scikit-learn's `prob_true`). */
  positiveRate: number;
}

/**
 * Reliability curve of a binary classifier, as `sklearn.calibration.calibration_curve(labels,
 * scores, n_bins=bins, strategy="uniform")`: scores in [0, 1] are cut into `bins` equal-width bins
 * (right-closed, the first also holding 0) and each non-empty bin reports its mean score and its
 * share of positives. Empty bins are left out, as scikit-learn does. Rows whose score or label is
 * missing (`NaN`) are skipped.
 *
 * Degenerate cases: no rows gives an empty list. A score outside [0, 1] throws (scikit-learn raises
 * too): it is a wrong output mapping, not a property of the data.
 *
 * https://scikit-learn.org/stable/modules/calibration.html#calibration-curves
 *
 * @example
 * calibrationCurve([0.1, 0.2, 0.8, 0.9], [0, 1, 1, 1], 2);
 * // [{ lower: 0, upper: 0.5, count: 2, meanScore: 0.15, positiveRate: 0.5 },
 * //  { lower: 0.5, upper: 1, count: 2, meanScore: 0.85 (up to rounding), positiveRate: 1 }]
 */
export function calibrationCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number | boolean>,
  bins = 10,
): CalibrationBin[] {
  if (scores.length !== labels.length) {
    throw new RangeError(`calibrationCurve: ${scores.length} scores against ${labels.length} labels`);
  }
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RangeError(`calibrationCurve: bins must be >= 1, got ${bins}`);
  const count = new Float64Array(bins);
  const scoreSum = new Float64Array(bins);
  const positives = new Float64Array(bins);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    const label = Number(labels[i]!);
    if (Number.isNaN(s) || Number.isNaN(label)) continue;
    if (s < 0 || s > 1) throw new RangeError(`calibrationCurve: score ${s} at row ${i} is outside [0, 1]`);
    // Right-closed bins as scikit-learn's searchsorted(edges[1:-1], s, side="left").
    let b = Math.ceil(s * bins) - 1;
    if (b < 0) b = 0;
    // Guard against s·bins rounding across an edge: the edge itself is computed like numpy.linspace.
    if (b > 0 && s <= b / bins) b -= 1;
    else if (b < bins - 1 && s > (b + 1) / bins) b += 1;
    count[b]! += 1;
    scoreSum[b]! += s;
    positives[b]! += label === 1 ? 1 : 0;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b]!;
    if (n === 0) continue;
    out.push({
      lower: b / bins,
      upper: (b + 1) / bins,
      count: n,
      meanScore: scoreSum[b]! / n,
      positiveRate: positives[b]! / n,
    });
  }
  return out;
}
