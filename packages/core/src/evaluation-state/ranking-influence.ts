import { FINE_BINS } from "./score-code.js";

/** Per ranking-histogram bin, the first-order effect of one more row on AUC and AP. */
export interface RankingInfluence {
  /** The binned AUC and AP the influences are taken at (NaN when a class is absent). */
  aucValue: number;
  apValue: number;
  /** Effect on AUC of a positive (`[2b + 1]`) or a negative (`[2b]`) row in bin b. */
  auc: Float64Array;
  /** Effect on average precision, laid out as `auc`. */
  ap: Float64Array;
}

/**
 * The influence functions (derivatives with respect to a row's weight) of the binned AUC and
 * average precision of one group and model, from its ranking histogram `hist` (`[2b]` negatives,
 * `[2b + 1]` positives of bin b). AUC: `(V − AUC)/P` for a positive, V the share of negatives
 * below it (ties ½), and `(V − AUC)/N` for a negative, V the share of positives above it — the
 * Hájek projection of the Mann–Whitney statistic. AP = S/P with S = Σ_b pos_b·prec_b: a row with
 * label y in bin k changes S by `y·prec_k + Σ_{b ≤ k} pos_b (y − prec_b)/R_b` (R_b rows at or
 * above b), so its influence is `(y·(prec_k − AP + G_k) − H_k)/P` with `G_k = Σ_{b ≤ k} pos_b/R_b`
 * and `H_k = Σ_{b ≤ k} pos_b·prec_b/R_b`. Both sum to 0 over all rows, as influences must.
 *
 * @see https://en.wikipedia.org/wiki/Mann%E2%80%93Whitney_U_test#Area-under-curve_(AUC)_statistic_for_ROC_curves
 * @example
 * const { auc } = rankingInfluence(hist, 0);
 * auc[2 * b + 1]; // how much the AUC rises per unit of extra weight on a positive in bin b
 */
export function rankingInfluence(hist: Float64Array, o: number): RankingInfluence {
  const F = FINE_BINS;
  let P = 0;
  let N = 0;
  for (let b = 0; b < F; b++) {
    N += hist[o + 2 * b]!;
    P += hist[o + 2 * b + 1]!;
  }
  const auc = new Float64Array(2 * F);
  const ap = new Float64Array(2 * F);
  // AUC needs both classes. AP needs a positive only: with no negatives every threshold has
  // precision 1, so AP is 1 under any reweighting that keeps a positive (no influence).
  if (P === 0) return { auc, ap, aucValue: Number.NaN, apValue: Number.NaN };
  if (N === 0) return { auc, ap, aucValue: Number.NaN, apValue: 1 };
  // Descending pass: positives and rows at or above each bin, precision there, and S.
  const prec = new Float64Array(F);
  const rowsAbove = new Float64Array(F);
  let tp = 0;
  let rows = 0;
  let S = 0;
  let area = 0;
  for (let b = F - 1; b >= 0; b--) {
    const neg = hist[o + 2 * b]!;
    const pos = hist[o + 2 * b + 1]!;
    area += neg * (tp + 0.5 * pos);
    tp += pos;
    rows += pos + neg;
    rowsAbove[b] = rows;
    prec[b] = rows > 0 ? tp / rows : 0;
    S += pos * prec[b]!;
  }
  const AUC = area / (P * N);
  const AP = S / P;
  // Ascending pass: negatives below, positives above, and the G and H sums.
  let negBelow = 0;
  let posAbove = P;
  let G = 0;
  let H = 0;
  for (let b = 0; b < F; b++) {
    const neg = hist[o + 2 * b]!;
    const pos = hist[o + 2 * b + 1]!;
    posAbove -= pos;
    if (pos > 0) {
      G += pos / rowsAbove[b]!;
      H += (pos * prec[b]!) / rowsAbove[b]!;
    }
    auc[2 * b + 1] = ((negBelow + 0.5 * neg) / N - AUC) / P;
    auc[2 * b] = ((posAbove + 0.5 * pos) / P - AUC) / N;
    ap[2 * b + 1] = (prec[b]! - AP + G - H) / P;
    ap[2 * b] = -H / P;
    negBelow += neg;
  }
  return { auc, ap, aucValue: AUC, apValue: AP };
}

/**
 * A per-bin function (`[2b + y]`) at a position `t` on the bin axis (bin b's centre at t = b, the
 * end bins at 0.5 and `FINE_BINS − 1.5`), linearly interpolated, for label y.
 *
 * @example
 * atPosition(influence.auc, 1, 2049.5); // halfway between bins 2049 and 2050, for a positive
 */
export function atPosition(values: Float64Array, y: number, t: number): number {
  const last = FINE_BINS - 1;
  const lo = t <= 1 ? 0 : t >= last - 1 ? last - 1 : Math.floor(t);
  const loT = lo === 0 ? 0.5 : lo;
  const hiT = lo + 1 === last ? last - 0.5 : lo + 1;
  const f = Math.min(1, Math.max(0, (t - loT) / (hiT - loT)));
  const a = values[2 * lo + y]!;
  return a + (values[2 * (lo + 1) + y]! - a) * f;
}
