import { createPairedMoments } from "../stats/paired-moments.js";
import type { AgreementSummary } from "./shadow-result.js";

/** Streams pairs of scores into an {@link AgreementSummary}. */
export interface ScoreAgreement {
  /** Adds one request's scores; returns true when the two decisions differ. */
  add(champion: number, challenger: number): boolean;
  finish(): AgreementSummary;
}

/**
 * Decision agreement of two binary classifiers at `threshold` (a score at or above it decides
 * positive, as the metrics do), the 2×2 table of both decisions, Pearson's correlation of the
 * scores (`createPairedMoments`, accurate on millions of scores close to each other) and their
 * mean absolute difference.
 *
 * Degenerate cases: no rows gives `null` rates; fewer than two rows or a constant side gives a
 * `null` correlation.
 *
 * https://en.wikipedia.org/wiki/Pearson_correlation_coefficient
 *
 * @example
 * const agreement = createScoreAgreement(0.5);
 * agreement.add(0.2, 0.3); agreement.add(0.7, 0.4); agreement.add(0.9, 0.8);
 * agreement.finish(); // { n: 3, disagreement: 0.333…, confusion: { bothPositive: 1, bothNegative: 1, championOnly: 1, challengerOnly: 0 }, correlation: 0.8386…, meanAbsDiff: 0.166… }
 */
export function createScoreAgreement(threshold: number): ScoreAgreement {
  let n = 0;
  let bothPositive = 0;
  let bothNegative = 0;
  let championOnly = 0;
  let challengerOnly = 0;
  let absDiff = 0;
  const moments = createPairedMoments();
  return {
    add(champion, challenger) {
      n++;
      const a = champion >= threshold;
      const b = challenger >= threshold;
      if (a && b) bothPositive++;
      else if (!a && !b) bothNegative++;
      else if (a) championOnly++;
      else challengerOnly++;
      absDiff += Math.abs(champion - challenger);
      moments.add(champion, challenger);
      return a !== b;
    },
    finish() {
      const { correlation } = moments.finish();
      return {
        n,
        disagreement: n > 0 ? (championOnly + challengerOnly) / n : null,
        confusion: { bothPositive, bothNegative, championOnly, challengerOnly },
        correlation,
        meanAbsDiff: n > 0 ? absDiff / n : null,
      };
    },
  };
}
