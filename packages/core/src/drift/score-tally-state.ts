/**
 * The sums behind a score tally (`createScoreTally`), as plain JSON. Counts are exact; the score
 * sums are float64 sums, so merged tallies equal one tally over all rows up to rounding (relative
 * 1e-12 below a billion rows). `mass` lists only occupied score bins: `[bin, Σp, Σ(1 − p)]` flattened.
 */
export interface ScoreTallyState {
  rows: number;
  sum: number;
  lowCount: number;
  predictedPositive: number;
  /** Expected confusion matrix: Σp and Σ(1 − p) on each side of the threshold. */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  labelled: number;
  correct: number;
  /**
   * Rows in the threshold's score bin (`floor(threshold · SCORE_BINS)`) scored at or above the
   * threshold: with `mass`, the rows on each side of the threshold per bin, which recalibrated
   * estimates need. Added after `gauntlet/drift-state@1` first shipped.
   */
  thresholdBinAbove: number;
  mass: number[];
}

/**
 * The state of one tally over the rows of all `states` (in order): counts add exactly, sums up to
 * rounding.
 *
 * @example
 * mergeScoreTallyStates([a.state(), b.state()]).rows; // a's rows + b's rows
 */
export function mergeScoreTallyStates(states: readonly ScoreTallyState[]): ScoreTallyState {
  const out = emptyTallyState();
  const bins = new Map<number, [number, number]>();
  for (const s of states) {
    for (const field of TALLY_SUMS) out[field] += s[field];
    for (let at = 0; at + 2 < s.mass.length; at += 3) {
      const bin = s.mass[at]!;
      const sums = bins.get(bin) ?? [0, 0];
      sums[0] += s.mass[at + 1]!;
      sums[1] += s.mass[at + 2]!;
      bins.set(bin, sums);
    }
  }
  for (const bin of [...bins.keys()].sort((a, b) => a - b)) out.mass.push(bin, ...bins.get(bin)!);
  return out;
}

const TALLY_SUMS = [
  "rows",
  "sum",
  "lowCount",
  "predictedPositive",
  "tp",
  "fp",
  "fn",
  "tn",
  "labelled",
  "correct",
  "thresholdBinAbove",
] as const;

/**
 * A tally state with no rows.
 *
 * @example
 * emptyTallyState().rows; // 0
 */
export function emptyTallyState(): ScoreTallyState {
  return {
    rows: 0,
    sum: 0,
    lowCount: 0,
    predictedPositive: 0,
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    labelled: 0,
    correct: 0,
    thresholdBinAbove: 0,
    mass: [],
  };
}
