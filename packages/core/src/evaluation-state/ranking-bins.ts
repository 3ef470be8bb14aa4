import type { CellState } from "./evaluation-state.js";
import { FINE_BINS } from "./score-code.js";

/** A group's AUC and AP numerators from score bins, and how far the exact ones can be. */
export interface BinnedRanking {
  /** Σ negatives × (positives above + ½ positives in the same bin): `roc_auc` · P · N. */
  auc: number;
  /** Σ positives in a bin × precision at the bin's bottom: `average_precision` · P. */
  ap: number;
  /** Largest possible |exact − binned| of the AUC numerator: ½ Σ positives · negatives per bin. */
  aucError: number;
  /** Largest possible |exact − binned| of the AP numerator (see {@link binnedRanking}). */
  apError: number;
}

/**
 * AUC and average precision of one group and model from its 1/128-log-odds histogram (`hist`
 * from {@link groupHistograms}, model m at offset `m · 2 · FINE_BINS`), treating a bin as one
 * tie. Within a bin the true order is unknown, so each bound is what the most and least
 * favourable orders could change: for AUC, a bin's tp positives and tn negatives add between 0
 * and tp·tn pairs (binned: ½); for AP, each positive's precision lies between
 * (A⁺ + 1)/(A + 1 + tn) and (A⁺ + tp)/(A + tp), A⁺ and A the positives and rows above the bin,
 * while the binned value uses (A⁺ + tp)/(A + tp + tn). The bounds are guarantees, not estimates:
 * for smooth score distributions the actual error is orders of magnitude smaller.
 *
 * @example
 * const r = binnedRanking(groupHistograms(state, finalOf, groups, 1)(0), 0);
 * r.auc / (pos * neg); // roc_auc on binned scores; |exact − it| ≤ r.aucError / (pos * neg)
 */
export function binnedRanking(hist: Float64Array, o: number): BinnedRanking {
  let pos = 0;
  let neg = 0;
  const out: BinnedRanking = { auc: 0, ap: 0, aucError: 0, apError: 0 };
  for (let b = FINE_BINS - 1; b >= 0; b--) {
    const tn = hist[o + 2 * b]!;
    const tp = hist[o + 2 * b + 1]!;
    if (tp + tn === 0) continue;
    out.auc += tn * (pos + 0.5 * tp);
    out.aucError += 0.5 * tp * tn;
    if (tp > 0) {
      const q = (pos + tp) / (pos + neg + tp + tn);
      const high = (pos + tp) / (pos + neg + tp);
      const low = (pos + 1) / (pos + neg + 1 + tn);
      out.ap += tp * q;
      out.apError += tp * Math.max(high - q, q - low);
    }
    pos += tp;
    neg += tn;
  }
  return out;
}

/**
 * The ranking histograms of each result group, one group at a time: the returned function fills
 * and returns one shared buffer (`[m · 2 · FINE_BINS + 2b + y]`: rows of model m, bin b, label y),
 * so memory stays that of one group however many slices there are.
 *
 * @example
 * const histogram = groupHistograms(state, finalOf, groups, 2);
 * histogram(0)[2 * fineBin(0.5) + 1]; // positives of all rows whose candidate score is in 0.5's bin
 */
export function groupHistograms(
  state: CellState,
  finalOf: Int32Array,
  groups: number,
  models: number,
): (g: number) => Float64Array {
  const members: number[][] = Array.from({ length: groups }, () => []);
  finalOf.forEach((f, g) => {
    if (f >= 0) members[f]!.push(g);
  });
  const hist = new Float64Array(models * FINE_BINS * 2);
  return (f) => {
    hist.fill(0);
    for (const g of members[f]!) {
      state.fine.forGroup(g, (key, n) => {
        hist[key]! += n;
      });
    }
    return hist;
  };
}
