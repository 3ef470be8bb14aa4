import { psi } from "../stats/psi.js";
import { wilsonInterval } from "../stats/wilson-interval.js";
import type { AgreementSummary, DistributionSummary, MulticlassAgreement } from "./shadow-result.js";

/** Streams pairs of predicted classes into a multiclass comparison. */
export interface ClassAgreement {
  /** Adds one request's predicted class indices (into `classes`); returns true when they differ. */
  add(champion: number, challenger: number): boolean;
  finish(): {
    agreement: AgreementSummary;
    multiclass: MulticlassAgreement;
    distribution: DistributionSummary;
  };
}

/**
 * Agreement of two multiclass models on the same requests: the share of requests both put in the
 * same class with its 95% Wilson interval, the champion × candidate table of predicted classes,
 * each class's share under both models and its shift (candidate − champion), and the PSI of the
 * candidate's class mix against the champion's (the classes are the bins; KS is not defined for
 * classes and is `null`).
 *
 * Degenerate cases: no rows gives `null` agreement, shares and PSI, with a reason.
 *
 * https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Wilson_score_interval
 *
 * @example
 * const a = createClassAgreement(["setosa", "versicolor", "virginica"]);
 * a.add(0, 0); a.add(1, 2); a.add(2, 2); a.add(1, 1);
 * a.finish().multiclass.agreement; // { value: 0.75, ci: [0.3006…, 0.9544…] }
 * a.finish().multiclass.confusion; // [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
 */
export function createClassAgreement(classes: readonly string[]): ClassAgreement {
  const k = classes.length;
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let n = 0;
  let same = 0;
  return {
    add(champion, challenger) {
      n++;
      table[champion]![challenger]!++;
      if (champion === challenger) same++;
      return champion !== challenger;
    },
    finish() {
      const championCounts = table.map((row) => row.reduce((s, c) => s + c, 0));
      const challengerCounts = classes.map((_, j) => table.reduce((s, row) => s + row[j]!, 0));
      const share = (c: number) => (n > 0 ? c / n : null);
      const shares = classes.map((name, i) => {
        const champion = share(championCounts[i]!);
        const challenger = share(challengerCounts[i]!);
        return {
          class: name,
          champion,
          challenger,
          shift: champion === null || challenger === null ? null : challenger - champion,
        };
      });
      const shift =
        n > 0 ? psi(championCounts, challengerCounts) : { value: null, reason: "no requests to compare" };
      return {
        agreement: {
          n,
          disagreement: n > 0 ? (n - same) / n : null,
          correlation: null,
          meanAbsDiff: null,
        },
        multiclass: {
          classes: [...classes],
          agreement:
            n > 0
              ? { value: same / n, ci: wilsonInterval(same, n) }
              : { value: null, ci: null, reason: "no requests to compare" },
          confusion: table.map((row) => [...row]),
          shares,
        },
        distribution: {
          psi: shift.value,
          ks: { statistic: null, pValue: null },
          ...(shift.reason ? { reason: shift.reason } : {}),
          histogram: { labels: [...classes], champion: championCounts, challenger: challengerCounts },
        },
      };
    },
  };
}
