import { MT } from "./multiclass-pass.js";

/** One class's F1 and weighted support (true count); `present` = it occurs as label or prediction. */
export interface ClassF1 {
  f1: number;
  support: number;
  present: boolean;
}

/**
 * Per-class F1 `2·tp / (true + predicted)` from a multiclass tally. A class is present when its
 * weighted true or predicted count is positive: with unit weights that is scikit-learn's
 * `unique_labels(y_true, y_pred)`; with bootstrap counts it is that set on the resampled rows.
 *
 * @example
 * classF1FromTally(Float64Array.of(2, 1, 0, 1, 1, 1, 1, 1, 0), 0, 2); // [{ f1: 1, support: 1, present: true }, { f1: 0, support: 1, present: true }]
 */
export function classF1FromTally(t: Float64Array, o: number, classes: number): ClassF1[] {
  const out: ClassF1[] = [];
  for (let c = 0; c < classes; c++) {
    const base = o + MT.CLASS + 3 * c;
    const truth = t[base]!;
    const denominator = truth + t[base + 1]!;
    out.push({
      f1: denominator > 0 ? (2 * t[base + 2]!) / denominator : 0,
      support: truth,
      present: denominator > 0,
    });
  }
  return out;
}
