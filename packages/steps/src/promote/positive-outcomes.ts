import type { Column } from "@gauntlet/core";
import { cellValueText } from "@gauntlet/core";

/**
 * A binary label column as outcomes: 1 where the label is the positive class, 0 where it is one of
 * the other `classes` (any other value when no classes are listed), `NaN` where it is missing or
 * unknown. Classes match by their text, as evaluation matches them (`1` and `"1"` are one class).
 * Unlike evaluation's `encodeLabels` it never throws: a profile describes the data as it is, and
 * rows without a usable label are simply left out of the calibration curve.
 *
 * @example
 * positiveOutcomes(churned, "1", ["0", "1"]); // Float64Array [0, 1, NaN (missing), ...]
 */
export function positiveOutcomes(
  column: Column,
  positive: string,
  classes: readonly string[] | undefined,
): Float64Array {
  const known = classes ? new Set(classes) : undefined;
  const out = new Float64Array(column.nulls.length);
  for (let i = 0; i < out.length; i++) {
    const text = cellValueText(column, i);
    if (text === undefined) out[i] = Number.NaN;
    else if (text === positive) out[i] = 1;
    else out[i] = !known || known.has(text) ? 0 : Number.NaN;
  }
  return out;
}
