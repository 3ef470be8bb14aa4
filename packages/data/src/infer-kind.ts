import type { ColumnKind } from "@gauntlet/core";
import { type Cell, isMissing } from "./cell.js";
import { parseBoolean } from "./parse-boolean.js";
import { parseNumber } from "./parse-number.js";
import { parseTimestamp } from "./parse-timestamp.js";

/**
 * Share of the sampled non-missing values that must parse as a kind for the column to get it.
 * Below it the column is a category, so that a text column with a few numeric codes stays text,
 * while a numeric column with a few typos (`n/a`, `12kg`) stays numeric and reports those cells
 * as invalid instead of silently turning into a category.
 *
 * @example
 * inferThreshold; // 0.9
 */
export const inferThreshold = 0.9;

/**
 * Infers a column's kind from sampled values. The first kind, in the order boolean, number,
 * timestamp, that at least {@link inferThreshold} of the non-missing values parse as wins;
 * otherwise (and for a column with no values at all) the column is a category.
 * Text is read with {@link parseBoolean}, {@link parseNumber} and {@link parseTimestamp};
 * JSON numbers and booleans count as their own kind.
 *
 * @example
 * inferKind(["1", "2.5", "NaN", ""]); // "number"
 * inferKind(["1", "2", "3", "4", "5", "6", "7", "8", "9", "n/a"]); // "number" (9 of 10)
 * inferKind(["2024-01-01", "2024-01-02T10:00:00+02:00"]); // "timestamp"
 * inferKind(["AE", "SA", "1"]); // "category"
 */
export function inferKind(values: Iterable<Cell>): ColumnKind {
  let present = 0;
  let booleans = 0;
  let numbers = 0;
  let timestamps = 0;
  for (const value of values) {
    if (isMissing(value)) continue;
    present++;
    if (typeof value === "number" || typeof value === "bigint") numbers++;
    else if (typeof value === "boolean") booleans++;
    else if (value instanceof Date) timestamps++;
    else if (parseBoolean(value) !== undefined) booleans++;
    else if (parseNumber(value) !== undefined) numbers++;
    else if (parseTimestamp(value) !== undefined) timestamps++;
  }
  if (present === 0) return "category";
  const needed = present * inferThreshold;
  if (booleans >= needed) return "boolean";
  if (numbers >= needed) return "number";
  if (timestamps >= needed) return "timestamp";
  return "category";
}
