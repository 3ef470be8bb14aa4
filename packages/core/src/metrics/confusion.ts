import { BINARY_TALLY } from "./binary-pass.js";

/** Weighted confusion counts at the threshold (prediction = score ≥ threshold). */
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/**
 * The confusion counts held in a binary tally.
 *
 * @example
 * confusionFromTally(Float64Array.of(3, 2, 2, 1, 0, 0, 0, 0, 0), 0); // { tp: 2, fp: 1, fn: 1, tn: 1 }
 */
export function confusionFromTally(t: Float64Array, o: number): Confusion {
  const tp = t[o + BINARY_TALLY.TP]!;
  const fp = t[o + BINARY_TALLY.FP]!;
  // Running totals only grow, so these differences are never negative.
  return { tp, fp, fn: t[o + BINARY_TALLY.POS]! - tp, tn: t[o + BINARY_TALLY.NEG]! - fp };
}

/** The reason attached to a 0 that scikit-learn's `zero_division` default produced. */
export function zeroDivision(what: string): string {
  return `${what}: 0 by scikit-learn's zero_division default`;
}
