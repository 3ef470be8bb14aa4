import type { Column } from "../table/column.js";
import type { NumericColumnProfile } from "./profile.js";

/**
 * `addRange`'s loop for a column whose every value is kept, with room made (`direct`), and
 * whose sketch and bins are made from them when it is finished (a drift window's): only the
 * moments, extremes and stores, in locals. The same operations in the same order as the general
 * loop, so the same numbers bit for bit.
 *
 * @example
 * addKept(profile, column, 0, column.values.length, undefined, room); // profile.count += the finite values
 */
export function addKept(
  p: NumericColumnProfile,
  column: Extract<Column, { kind: "number" }>,
  start: number,
  end: number,
  subset: Uint32Array | undefined,
  direct: Float64Array,
): void {
  const { values, nulls } = column;
  let { count, m2 } = p;
  let missing = 0;
  let infinite = 0;
  let mean = p.mean ?? 0;
  // A first value is below +Infinity and above -Infinity, as the general loop takes it when null.
  let min = p.min ?? Number.POSITIVE_INFINITY;
  let max = p.max ?? Number.NEGATIVE_INFINITY;
  for (let k = start; k < end; k++) {
    const i = subset === undefined ? k : subset[k]!;
    const v = values[i]!;
    if (nulls[i] === 1 || Number.isNaN(v)) {
      missing += 1;
      continue;
    }
    if (!Number.isFinite(v)) {
      infinite += 1;
      continue;
    }
    count += 1;
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
    direct[count - 1] = v;
  }
  p.nulls += missing;
  p.infinite += infinite;
  if (count > 0) {
    p.mean = mean;
    p.min = min;
    p.max = max;
  }
  p.count = count;
  p.m2 = m2;
  p.rows += end - start;
}
