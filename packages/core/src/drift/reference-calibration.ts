import type { LabelledScoreCounts, Profile } from "../profile/profile.js";
import { type IsotonicFit, isotonicRegression } from "../stats/isotonic-regression.js";
import type { CalibrationCheck } from "./drift-result.js";
import { SCORE_BINS, scoreBin } from "./score-tally.js";

/** Labelled reference rows needed, in all and of each class, before a calibration is fitted. */
export const MIN_CALIBRATION_ROWS = { total: 200, perClass: 20 } as const;

/**
 * The reference's labelled scores on the score tally's grid, as a profile stores them
 * (`calibration.labelledScores`). Rows whose score is outside [0, 1] or `NaN`, or whose label is
 * not 0 or 1, are left out.
 *
 * @example
 * labelledScoreCounts([0.1, 0.1, 0.9], [0, 1, 1]);
 * // { bins: 4096, counts: [409, 1, 1, 3686, 0, 1] }
 */
export function labelledScoreCounts(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): LabelledScoreCounts {
  if (scores.length !== labels.length) {
    throw new RangeError(`labelledScoreCounts: ${scores.length} scores against ${labels.length} labels`);
  }
  const negatives = new Float64Array(SCORE_BINS);
  const positives = new Float64Array(SCORE_BINS);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    const label = labels[i]!;
    if (!(s >= 0 && s <= 1) || (label !== 0 && label !== 1)) continue;
    (label === 1 ? positives : negatives)[scoreBin(s)]! += 1;
  }
  const counts: number[] = [];
  for (let b = 0; b < SCORE_BINS; b++) {
    if (negatives[b]! + positives[b]! > 0) counts.push(b, negatives[b]!, positives[b]!);
  }
  return { bins: SCORE_BINS, counts };
}

/** What the reference says about the scores' calibration, and the recalibration fitted on it. */
export type ReferenceCalibration =
  | {
      status: "recalibrated";
      /** Labelled reference rows and their positives. */
      rows: number;
      positives: number;
      /** ECE of the raw scores on the reference (its reliability curve's bins); `null` without one. */
      ece: number | null;
      /** The reference's bins: centre, negatives, positives (what a bootstrap resamples). */
      bins: { centre: Float64Array; negatives: Float64Array; positives: Float64Array };
      /** Isotonic regression of the labels on the scores: raw score → calibrated probability. */
      map: IsotonicFit;
    }
  | {
      status: "not established";
      rows: number;
      positives: number;
      ece: number | null;
      /** Why there is no calibration: printed as the warning. */
      reason: string;
    };

/**
 * Measures the calibration of a binary model's scores on its reference (the labelled evaluation
 * rows the profile was built from) and fits the recalibration CBPE needs: an isotonic regression of
 * the label on the score, over the reference's labelled scores binned on the tally's grid (rows of
 * one 1/4096-wide bin count as tied, as in the tally). This is what NannyML does before estimating:
 * CBPE's expected confusion matrix is only right for calibrated probabilities, and models are
 * often over- or under-confident.
 *
 * The calibration is `not established` — and the estimate stays unchecked — when the reference has
 * no labelled scores (a data file, a profile built without the model or label, or one written
 * before `labelledScores` existed), fewer than {@link MIN_CALIBRATION_ROWS} labelled rows, or
 * too few of one class.
 *
 * Zadrozny & Elkan (2002), https://doi.org/10.1145/775047.775151 ·
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html
 *
 * @example
 * referenceCalibration(profile);
 * // { status: "recalibrated", rows: 5000, positives: 1310, ece: 0.118, bins: {...}, map: {...} }
 * referenceCalibration(profileOfDataFile);
 * // { status: "not established", rows: 0, positives: 0, ece: null, reason: "the reference has no labelled scores ..." }
 */
export function referenceCalibration(profile: Profile): ReferenceCalibration {
  const curve = profile.calibration;
  const ece = curve ? curveEce(curve.bins) : null;
  const labelled = curve?.labelledScores;
  if (!labelled) {
    return {
      status: "not established",
      rows: curve?.rows ?? 0,
      positives: curve ? Math.round(curve.bins.reduce((s, b) => s + b.count * b.positiveRate, 0)) : 0,
      ece,
      reason:
        "the reference has no labelled scores to check calibration on (a profile.json written by promote for a binary model with evaluation.label has them; a data file or an older profile does not)",
    };
  }
  const n = labelled.counts.length / 3;
  const bins = {
    centre: new Float64Array(n),
    negatives: new Float64Array(n),
    positives: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    bins.centre[i] = (labelled.counts[3 * i]! + 0.5) / labelled.bins;
    bins.negatives[i] = labelled.counts[3 * i + 1]!;
    bins.positives[i] = labelled.counts[3 * i + 2]!;
  }
  const positives = bins.positives.reduce((s, v) => s + v, 0);
  const rows = positives + bins.negatives.reduce((s, v) => s + v, 0);
  const fewest = Math.min(positives, rows - positives);
  let reason: string | null = null;
  if (rows < MIN_CALIBRATION_ROWS.total) {
    reason = `the reference has ${rows} labelled rows; at least ${MIN_CALIBRATION_ROWS.total} are needed to fit a calibration`;
  } else if (fewest < MIN_CALIBRATION_ROWS.perClass) {
    reason = `the reference's labelled rows have ${positives} positives and ${rows - positives} negatives; at least ${MIN_CALIBRATION_ROWS.perClass} of each are needed to fit a calibration`;
  }
  if (reason !== null) return { status: "not established", rows, positives, ece, reason };
  return { status: "recalibrated", rows, positives, ece, bins, map: fitBins(bins) };
}

/**
 * The isotonic recalibration of binned labelled scores, each bin weighted by its rows (bins
 * without rows left out): a bootstrap refits it on resampled counts.
 *
 * @example
 * fitBins({ centre: Float64Array.of(0.25, 0.75), negatives: Float64Array.of(3, 1), positives: Float64Array.of(1, 3) }).predict(0.75); // 0.75
 */
export function fitBins(bins: {
  centre: Float64Array;
  negatives: ArrayLike<number>;
  positives: ArrayLike<number>;
}): IsotonicFit {
  const n = bins.centre.length;
  const rate = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    weight[i] = bins.negatives[i]! + bins.positives[i]!;
    rate[i] = weight[i]! > 0 ? bins.positives[i]! / weight[i]! : 0;
  }
  return isotonicRegression(bins.centre, rate, weight);
}

/** `Σ count · |mean score − positive rate| / Σ count` over a reliability curve's bins. */
function curveEce(
  bins: readonly { count: number; meanScore: number; positiveRate: number }[],
): number | null {
  let total = 0;
  let gap = 0;
  for (const b of bins) {
    total += b.count;
    gap += b.count * Math.abs(b.meanScore - b.positiveRate);
  }
  return total > 0 ? gap / total : null;
}

/**
 * A reference calibration as `drift.json` reports it (`performance.calibration`).
 *
 * @example
 * calibrationCheck(referenceCalibration(profile)).reason;
 * // "scores recalibrated by isotonic regression on 5,000 labelled reference rows (ECE of the raw scores there: 0.118)"
 */
export function calibrationCheck(calibration: ReferenceCalibration): CalibrationCheck {
  const { status, rows, positives, ece } = calibration;
  const eceText = ece === null ? "" : ` (ECE of the raw scores there: ${Number(ece.toPrecision(3))})`;
  if (status === "recalibrated") {
    return {
      status,
      method: "isotonic regression",
      rows,
      positives,
      ece,
      reason: `scores recalibrated by isotonic regression on ${rows.toLocaleString("en-US")} labelled reference rows${eceText}`,
    };
  }
  return {
    status,
    method: null,
    rows,
    positives,
    ece,
    reason: `calibration not established, so the performance estimate assumes calibrated scores unchecked: ${calibration.reason}`,
  };
}
