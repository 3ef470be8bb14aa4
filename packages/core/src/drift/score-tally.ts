import { emptyTallyState, type ScoreTallyState } from "./score-tally-state.js";

/** Score bins for the expected ROC curve: scores within 1/4096 of each other count as tied. */
export const SCORE_BINS = 4096;

/** Summary of served scores over some rows: prediction health and confidence-based estimates. */
export interface ScoreSummary {
  rows: number;
  meanScore: number | null;
  lowConfidenceShare: number | null;
  positiveShare: number | null;
  /** Confidence-based performance estimates (CBPE): `null` when there are no scores. */
  estimated: {
    accuracy: number | null;
    precision: number | null;
    recall: number | null;
    roc_auc: number | null;
  };
  /** Rows whose outcome arrived, and the share of them classified correctly at the threshold. */
  labelled: number;
  realisedAccuracy: number | null;
}

/** Streams `(score, outcome)` pairs of a binary classifier into a {@link ScoreSummary}. */
export interface ScoreTally {
  /** `outcome` is 1 or 0 when the ground truth has arrived, `NaN` otherwise. */
  add(score: number, outcome: number): void;
  finish(): ScoreSummary;
  /** The tally's sums, to be merged with other tallies' (`mergeScoreTallyStates`). */
  state(): ScoreTallyState;
}

/**
 * A streaming tally of a binary classifier's scores (probabilities of the positive class).
 *
 * Besides the score mix (mean, share below `lowConfidenceBelow` confidence, share predicted
 * positive at `threshold`) it estimates performance without labels the way NannyML's CBPE does:
 * if scores are calibrated, a row scored `p` is positive with probability `p`, so the expected
 * confusion matrix is `E[TP] = Σ_{p≥t} p`, `E[FP] = Σ_{p≥t} (1 − p)`, `E[FN] = Σ_{p<t} p`,
 * `E[TN] = Σ_{p<t} (1 − p)`, and the expected ROC curve accumulates `p` (true positives) and
 * `1 − p` (false positives) from the highest score down. The estimates are only as good as the
 * calibration, and they cannot see concept drift (a change of `P(y | x)`).
 * Scores outside [0, 1] or not numbers are left out. `from` continues a tally from its state
 * (e.g. the merge of several shards' tallies).
 *
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html
 *
 * @example
 * const tally = createScoreTally({ threshold: 0.5 });
 * tally.add(0.9, 1); tally.add(0.2, Number.NaN);
 * tally.finish().estimated.accuracy; // (0.9 + 0.8) / 2 = 0.85
 */
export function createScoreTally(
  options: { threshold: number; lowConfidenceBelow?: number },
  from?: ScoreTallyState,
): ScoreTally {
  const { threshold } = options;
  const low = options.lowConfidenceBelow ?? 0.6;
  const thresholdBin = scoreBin(threshold);
  const positiveMass = new Float64Array(SCORE_BINS);
  const negativeMass = new Float64Array(SCORE_BINS);
  const t = { ...emptyTallyState(), ...from, mass: [] as number[] };
  for (let at = 0; from && at + 2 < from.mass.length; at += 3) {
    const bin = from.mass[at]!;
    if (!(Number.isInteger(bin) && bin >= 0 && bin < SCORE_BINS)) throw new RangeError(`score bin ${bin}`);
    positiveMass[bin]! += from.mass[at + 1]!;
    negativeMass[bin]! += from.mass[at + 2]!;
  }
  return {
    add(score, outcome) {
      if (!(score >= 0 && score <= 1)) return;
      t.rows += 1;
      t.sum += score;
      if (Math.max(score, 1 - score) < low) t.lowCount += 1;
      const predicted = score >= threshold;
      if (predicted) {
        t.predictedPositive += 1;
        t.tp += score;
        t.fp += 1 - score;
      } else {
        t.fn += score;
        t.tn += 1 - score;
      }
      const bin = scoreBin(score);
      if (predicted && bin === thresholdBin) t.thresholdBinAbove += 1;
      positiveMass[bin]! += score;
      negativeMass[bin]! += 1 - score;
      if (outcome === 0 || outcome === 1) {
        t.labelled += 1;
        if ((outcome === 1) === predicted) t.correct += 1;
      }
    },
    finish() {
      const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
      return {
        rows: t.rows,
        meanScore: ratio(t.sum, t.rows),
        lowConfidenceShare: ratio(t.lowCount, t.rows),
        positiveShare: ratio(t.predictedPositive, t.rows),
        estimated: {
          accuracy: ratio(t.tp + t.tn, t.rows),
          precision: ratio(t.tp, t.tp + t.fp),
          recall: ratio(t.tp, t.tp + t.fn),
          roc_auc: expectedRocAuc(positiveMass, negativeMass),
        },
        labelled: t.labelled,
        realisedAccuracy: ratio(t.correct, t.labelled),
      };
    },
    state() {
      const mass: number[] = [];
      for (let b = 0; b < SCORE_BINS; b++) {
        if (positiveMass[b] !== 0 || negativeMass[b] !== 0) mass.push(b, positiveMass[b]!, negativeMass[b]!);
      }
      return { ...t, mass };
    },
  };
}

/**
 * The score bin of a score in [0, 1]: `floor(score · SCORE_BINS)`, 1 in the last bin.
 *
 * @example
 * scoreBin(0.5); // 2048
 */
export function scoreBin(score: number): number {
  return Math.min(SCORE_BINS - 1, Math.floor(score * SCORE_BINS));
}

/**
 * Area under the ROC curve of rows counted by score bin — `positive[b]` positives (or expected
 * positives, Σp) and `negative[b]` negatives in bin `b` — walked from the highest bin down, rows of
 * one bin tied (trapezoids, as scikit-learn scores ties). `null` without both classes.
 *
 * @example
 * expectedRocAuc(Float64Array.of(0, 1), Float64Array.of(1, 0)); // 1
 */
export function expectedRocAuc(positive: ArrayLike<number>, negative: ArrayLike<number>): number | null {
  let totalPositive = 0;
  let totalNegative = 0;
  for (let b = 0; b < positive.length; b++) {
    totalPositive += positive[b]!;
    totalNegative += negative[b]!;
  }
  if (!(totalPositive > 0 && totalNegative > 0)) return null;
  let area = 0;
  let truePositives = 0;
  for (let b = positive.length - 1; b >= 0; b--) {
    const next = truePositives + positive[b]!;
    area += (negative[b]! * (truePositives + next)) / 2;
    truePositives = next;
  }
  return area / (totalPositive * totalNegative);
}
