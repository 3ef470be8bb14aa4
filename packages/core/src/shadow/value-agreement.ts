import { normalQuantile } from "../stats/normal.js";
import { createPairedMoments } from "../stats/paired-moments.js";
import type { AgreementSummary, RegressionAgreement } from "./shadow-result.js";

/** Streams pairs of predicted values into a regression comparison. */
export interface ValueAgreement {
  /** Adds one request's predictions; returns true when they differ by more than the tolerance. */
  add(champion: number, challenger: number): boolean;
  finish(): { agreement: AgreementSummary; regression: RegressionAgreement };
}

/**
 * Agreement of two regression models on the same requests: the share of requests whose
 * predictions differ by more than `tolerance` (the disagreement), the mean of candidate − champion
 * with a 95% normal interval (mean ± 1.96·s/√n, s the sample standard deviation of the
 * differences: the paired comparison, so what both models share cancels), Pearson's correlation
 * and the mean absolute difference (moments from `createPairedMoments`, accurate on large values
 * close to each other).
 *
 * Degenerate cases: no rows gives `null` rates; fewer than two rows gives no interval (with a
 * reason), a constant side a `null` correlation.
 *
 * https://en.wikipedia.org/wiki/Paired_difference_test
 *
 * @example
 * const a = createValueAgreement(0.5);
 * a.add(10, 10.2); a.add(12, 13); a.add(8, 8.1); a.add(11, 10.5);
 * a.finish().regression; // { tolerance: 0.5, beyondTolerance: 1, meanDifference: { value: 0.2, ci: [-0.4041…, 0.8041…] } }
 */
export function createValueAgreement(tolerance: number): ValueAgreement {
  let n = 0;
  let beyond = 0;
  let absDiff = 0;
  const moments = createPairedMoments();
  return {
    add(champion, challenger) {
      n++;
      const apart = Math.abs(challenger - champion) > tolerance;
      if (apart) beyond++;
      absDiff += Math.abs(challenger - champion);
      moments.add(champion, challenger);
      return apart;
    },
    finish() {
      const { correlation, meanDifference: mean, differenceVariance } = moments.finish();
      const half =
        differenceVariance === null ? null : normalQuantile(0.975) * Math.sqrt(differenceVariance / n);
      return {
        agreement: {
          n,
          disagreement: n > 0 ? beyond / n : null,
          correlation,
          meanAbsDiff: n > 0 ? absDiff / n : null,
        },
        regression: {
          tolerance,
          beyondTolerance: beyond,
          meanDifference:
            mean === null
              ? { value: null, ci: null, reason: "no requests to compare" }
              : half === null
                ? { value: mean, ci: null, reason: "one request: no interval" }
                : { value: mean, ci: [mean - half, mean + half] },
        },
      };
    },
  };
}
