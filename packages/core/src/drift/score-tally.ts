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
 * Scores outside [0, 1] or not numbers are left out.
 *
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html
 *
 * @example
 * const tally = createScoreTally({ threshold: 0.5 });
 * tally.add(0.9, 1); tally.add(0.2, Number.NaN);
 * tally.finish().estimated.accuracy; // (0.9 + 0.8) / 2 = 0.85
 */
export function createScoreTally(options: { threshold: number; lowConfidenceBelow?: number }): ScoreTally {
  const { threshold } = options;
  const low = options.lowConfidenceBelow ?? 0.6;
  const positiveMass = new Float64Array(SCORE_BINS);
  const negativeMass = new Float64Array(SCORE_BINS);
  let rows = 0;
  let sum = 0;
  let lowCount = 0;
  let predictedPositive = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let labelled = 0;
  let correct = 0;
  return {
    add(score, outcome) {
      if (!(score >= 0 && score <= 1)) return;
      rows += 1;
      sum += score;
      if (Math.max(score, 1 - score) < low) lowCount += 1;
      const predicted = score >= threshold;
      if (predicted) {
        predictedPositive += 1;
        tp += score;
        fp += 1 - score;
      } else {
        fn += score;
        tn += 1 - score;
      }
      const bin = Math.min(SCORE_BINS - 1, Math.floor(score * SCORE_BINS));
      positiveMass[bin]! += score;
      negativeMass[bin]! += 1 - score;
      if (outcome === 0 || outcome === 1) {
        labelled += 1;
        if ((outcome === 1) === predicted) correct += 1;
      }
    },
    finish() {
      const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
      return {
        rows,
        meanScore: ratio(sum, rows),
        lowConfidenceShare: ratio(lowCount, rows),
        positiveShare: ratio(predictedPositive, rows),
        estimated: {
          accuracy: ratio(tp + tn, rows),
          precision: ratio(tp, tp + fp),
          recall: ratio(tp, tp + fn),
          roc_auc: expectedRocAuc(positiveMass, negativeMass),
        },
        labelled,
        realisedAccuracy: ratio(correct, labelled),
      };
    },
  };
}

/** Area under the expected ROC curve, bins walked from the highest score down (ties: trapezoids). */
function expectedRocAuc(positive: Float64Array, negative: Float64Array): number | null {
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
