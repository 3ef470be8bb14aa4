import { ECE_BINS, eceBin } from "../metrics/ece-bin.js";

/** Width, in log-odds, of a bootstrap cell's score bin (measured: 0.25 is no more accurate, 4× slower). */
export const COARSE_WIDTH = 1;
/** Log-odds range of the bootstrap bins; scores beyond it share the two end bins. */
export const COARSE_RANGE = 10;
/** Width, in log-odds, of a ranking-histogram bin (1/128). */
export const FINE_WIDTH = 1 / 128;
/** Log-odds range of the ranking histogram, ±16 (probabilities 1.1·10⁻⁷ … 1 − 1.1·10⁻⁷). */
export const FINE_RANGE = 16;
/** Number of ranking-histogram bins, the two end bins included. */
export const FINE_BINS = (2 * FINE_RANGE) / FINE_WIDTH + 2;

const COARSE_BINS = (2 * COARSE_RANGE) / COARSE_WIDTH + 2;
/** One more than the largest {@link coarseCode}. */
export const CODE_SPAN = COARSE_BINS * ECE_BINS * 2;

/**
 * The log-odds of a probability (±Infinity at 1 and 0), computed once per row and shared by the
 * codes below.
 *
 * @example
 * logOdds(0.5); // 0
 */
export function logOdds(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

function logitBin(z: number, width: number, range: number, bins: number): number {
  if (z < -range) return 0;
  if (z >= range) return bins - 1;
  return Math.min(bins - 2, 1 + Math.floor((z + range) / width));
}

/**
 * The bootstrap cell code of a score: a log-odds bin of width 1 (±10, then one bin each side),
 * refined so that no code straddles an ECE bin edge or the decision threshold. Codes grow with
 * the score, and the confusion counts and ECE bin sums read from cells equal those of the rows
 * exactly. Log-odds bins keep a cell's loss terms within 1 of each other even near 0 and 1, where
 * probability bins would not; what varies inside a cell is carried by its position moments.
 *
 * @example
 * coarseCode(0.5, 0.5) - coarseCode(0.4999, 0.5); // 1 (only the threshold side differs)
 * coarseCode(0.3, 0.5) < coarseCode(0.30001, 0.5); // true (0.3 ends ECE bin 2)
 */
export function coarseCode(p: number, threshold: number, z = logOdds(p)): number {
  const f = logitBin(z, COARSE_WIDTH, COARSE_RANGE, COARSE_BINS);
  return (f * ECE_BINS + eceBin(p, ECE_BINS)) * 2 + (p >= threshold ? 1 : 0);
}

/** The ECE bin a {@link coarseCode} belongs to. */
export function codeEceBin(code: number): number {
  return (code >>> 1) % ECE_BINS;
}

/**
 * The ranking-histogram bin of a score (log-odds bins of width 1/128): AUC and average precision
 * of merged states are computed on these bins, with ties within a bin, and carry the bound that
 * `rankingFromBins` derives from them.
 *
 * @example
 * fineBin(0.5); // 2049
 * fineBin(0); // 0
 */
export function fineBin(p: number, z = logOdds(p)): number {
  return logitBin(z, FINE_WIDTH, FINE_RANGE, FINE_BINS);
}
