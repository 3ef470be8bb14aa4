import type { DataContract } from "../manifest/schema.js";
import type { BehaviourSpec } from "../manifest/schema-behaviour.js";
import type { Batch } from "../table/column.js";
import type { BehaviourMeasure } from "./behaviour-result.js";
import { atMost, percent, scoreText, worstExamples } from "./measure.js";
import { component, MOVED, type Predictions } from "./predictions.js";
import { repeatBatch, rowValues } from "./probe-batch.js";

/** One entry of `behaviour.directional`. */
export type DirectionalSpec = BehaviourSpec["directional"][number];

/** The probes of a directional test and which sample rows they judge. */
export interface DirectionalProbes {
  /** The sample with the column moved by `by`. */
  batch: Batch;
  /** 1 where the row is judged: its value is present and the moved value stays in the contract's range. */
  judged: Uint8Array;
}

/**
 * The sample with `column` moved by `by`. Rows whose value is missing, or whose moved value would
 * leave the contract's `[min, max]`, are not judged (they are counted in the reason).
 *
 * @example
 * directionalProbes(sample, { column: "support_calls", by: 3, expect: "increase", tolerance: 0, "max-violations": 0 }, contract).judged;
 */
export function directionalProbes(
  sample: Batch,
  test: DirectionalSpec,
  contract: DataContract | undefined,
): DirectionalProbes {
  const batch = repeatBatch(sample, 1);
  const column = batch.columns.get(test.column)!;
  if (column.kind !== "number") throw new TypeError(`${test.column} is not numeric`);
  const declared = contract?.columns[test.column];
  const min = declared?.type === "number" ? (declared.min ?? -Infinity) : -Infinity;
  const max = declared?.type === "number" ? (declared.max ?? Infinity) : Infinity;
  const judged = new Uint8Array(sample.length);
  for (let r = 0; r < sample.length; r++) {
    if (column.nulls[r]) continue;
    const moved = column.values[r]! + test.by;
    if (!(moved >= min && moved <= max)) continue;
    column.values[r] = moved;
    judged[r] = 1;
  }
  return { batch, judged };
}

/**
 * Judges a directional test: a judged row violates it when its prediction moves the wrong way by
 * more than `tolerance` (or either is not a number). What moves is the binary score, the
 * regression value, or for multiclass the probability of class `classIndex` (`behaviour.directional[].class`).
 * The value is the share of judged rows that violate it, held to `max-violations`.
 *
 * @example
 * judgeDirectional(sample, base, moved, probes.judged, test, columns).value; // 0.012
 */
export function judgeDirectional(
  sample: Batch,
  base: Predictions,
  moved: Predictions,
  judged: Uint8Array,
  test: DirectionalSpec,
  columns: readonly string[],
  classIndex = 0,
): BehaviourMeasure {
  const sign = test.expect === "increase" ? 1 : -1;
  const wrong = new Float64Array(sample.length);
  const failing: number[] = [];
  const at = (p: Predictions, r: number) => component(p, r, classIndex);
  let count = 0;
  for (let r = 0; r < sample.length; r++) {
    if (!judged[r]) continue;
    count++;
    const change = (at(moved, r) - at(base, r)) * sign;
    wrong[r] = Number.isFinite(change) ? -change : Infinity;
    if (wrong[r]! > test.tolerance) failing.push(r);
  }
  const share = count === 0 ? null : failing.length / count;
  const skipped = sample.length - count;
  const step = `${test.by > 0 ? "raising" : "lowering"} ${test.column} by ${Math.abs(test.by)}`;
  const what = base.task === "multiclass" ? `probability of class ${test.class}` : MOVED[base.task];
  return atMost({
    value: share,
    limit: test["max-violations"],
    failures: failing.length,
    judged: count,
    reason:
      count === 0
        ? `no sampled row could be moved: ${test.column} is missing or the step leaves the contract's range on every row`
        : `${step} moves the ${what} the wrong way (${test.expect === "increase" ? "down" : "up"}) on ${percent(share!)} of ${count} rows; at most ${percent(test["max-violations"])} may` +
          (skipped > 0
            ? ` (${skipped} rows not judged: missing, or moved outside the contract's range)`
            : ""),
    examples: worstExamples(
      failing,
      (r) => wrong[r]!,
      (r) => ({
        inputs: rowValues(sample, r, columns),
        score: Number.isFinite(at(base, r)) ? at(base, r) : null,
        note: `${step}: ${what} ${scoreText(at(base, r))} → ${scoreText(at(moved, r))}`,
      }),
    ),
  });
}
