import type { Batch } from "../table/column.js";
import type { Disagreement } from "./behaviour-result.js";
import { rowValues } from "./probe-batch.js";

/**
 * The `count` sample rows where the candidate's and production's scores differ most (largest
 * absolute difference first; ties by row order), with their input values.
 *
 * @example
 * largestDisagreements(sample, candidate, production, ["age", "region"], 5)[0];
 * // { inputs: { age: 71, region: "QA" }, candidate: 0.81, production: 0.42 }
 */
export function largestDisagreements(
  sample: Batch,
  candidate: Float64Array,
  production: Float64Array,
  columns: readonly string[],
  count: number,
): Disagreement[] {
  const rows: number[] = [];
  for (let r = 0; r < sample.length; r++) {
    if (Number.isFinite(candidate[r]!) && Number.isFinite(production[r]!)) rows.push(r);
  }
  const gap = (r: number) => Math.abs(candidate[r]! - production[r]!);
  return rows
    .sort((a, b) => gap(b) - gap(a) || a - b)
    .slice(0, count)
    .filter((r) => gap(r) > 0)
    .map((r) => ({
      inputs: rowValues(sample, r, columns),
      candidate: candidate[r]!,
      production: production[r]!,
    }));
}
