import type { BehaviourSpec } from "../manifest/schema-behaviour.js";
import type { Batch } from "../table/column.js";
import type { BehaviourMeasure, CellValue } from "./behaviour-result.js";
import { atMost, scoreText, worstExamples } from "./measure.js";
import { component, headlineScore, MOVED, type Predictions, predictionText } from "./predictions.js";
import { repeatBatch, rowValues, setCell } from "./probe-batch.js";

/** One entry of `behaviour.invariance`. */
export type InvarianceSpec = BehaviourSpec["invariance"][number];

/** Evenly spaced values of a `range:` invariance test. */
const RANGE_POINTS = 5;

/**
 * The values an invariance test sets its column to: `values`, or five evenly spaced points of
 * `range` (both ends included).
 *
 * @example
 * invarianceValues({ column: "age", range: [20, 60], tolerance: 0.02 }); // [20, 30, 40, 50, 60]
 */
export function invarianceValues(test: InvarianceSpec): CellValue[] {
  if (test.values) return test.values;
  const [low, high] = test.range!;
  return Array.from({ length: RANGE_POINTS }, (_, j) => low + ((high - low) * j) / (RANGE_POINTS - 1));
}

/**
 * The probes of an invariance test: one copy of the sample per value, the column set to it
 * (probe `j * n + r` is sample row `r` with value `j`).
 *
 * @example
 * invarianceProbes(sample, { column: "region", values: ["AE", "SA"], tolerance: 0.02 }).length; // 2 * sample.length
 */
export function invarianceProbes(sample: Batch, test: InvarianceSpec): Batch {
  const values = invarianceValues(test);
  const probes = repeatBatch(sample, values.length);
  const column = probes.columns.get(test.column)!;
  const n = sample.length;
  values.forEach((value, j) => {
    for (let r = 0; r < n; r++) setCell(column, j * n + r, value);
  });
  return probes;
}

/**
 * Judges an invariance test: for each sample row the spread across the values (largest − smallest
 * score; for multiclass the largest such spread of any class's probability; for regression of the
 * predicted value); the value is the largest spread, a row over `tolerance` is a failure. A row
 * with a non-number prediction is a failure (listed first) and is counted in the reason, not in
 * the value.
 *
 * @example
 * judgeInvariance(sample, probePredictions, test, ["age", "region"]).value; // 0.004
 */
export function judgeInvariance(
  sample: Batch,
  scores: Predictions,
  test: InvarianceSpec,
  columns: readonly string[],
  classes: readonly string[] = [],
): BehaviourMeasure {
  const values = invarianceValues(test);
  const n = sample.length;
  const spread = new Float64Array(n);
  const failing: number[] = [];
  let largest = 0;
  let unscored = 0;
  for (let r = 0; r < n; r++) {
    let widest = 0;
    for (let k = 0; k < scores.width && Number.isFinite(widest); k++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < values.length; j++) {
        const s = component(scores, j * n + r, k);
        if (!Number.isFinite(s)) {
          lo = -Infinity;
          hi = Infinity;
          break;
        }
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
      }
      widest = Math.max(widest, hi - lo);
    }
    spread[r] = widest;
    if (spread[r]! > test.tolerance) failing.push(r);
    if (Number.isFinite(spread[r]!)) largest = Math.max(largest, spread[r]!);
    else unscored++;
  }
  const shown = values.map((v) => String(v)).join(", ");
  const what = MOVED[scores.task];
  const measured = atMost({
    value: n === 0 ? null : largest,
    limit: test.tolerance,
    failures: failing.length,
    judged: n,
    reason:
      `setting ${test.column} to ${shown} moves a row's ${what} by up to ${scoreText(largest)}` +
      `; ${failing.length} of ${n} rows move more than ${test.tolerance}` +
      (unscored > 0 ? ` (${unscored} of them get no score for some value)` : ""),
    examples: worstExamples(
      failing,
      (r) => spread[r]!,
      (r) => {
        const per = values
          .map((v, j) => `${String(v)}: ${predictionText(scores, j * n + r, classes)}`)
          .join(", ");
        return {
          inputs: rowValues(sample, r, columns),
          score: headlineScore(scores, r),
          note: `predictions by ${test.column}: ${per}`,
        };
      },
    ),
  });
  // A row without a score moved by an unknown amount: over any tolerance.
  return unscored > 0 && measured.status === "pass" ? { ...measured, status: "fail" } : measured;
}
