import type { Column } from "../table/column.js";
import { MISSING } from "./bin-label.js";

/**
 * A cell as text, the one spelling slices, shard keys, labels and log ids compare: a category as
 * is, a number via `String`, a boolean as `true`/`false`, a timestamp as ISO 8601; `undefined`
 * for a missing value (a null cell, NaN, a timestamp that is no time).
 *
 * @example
 * cellValueText({ kind: "number", values: Float64Array.of(1.5), nulls: Uint8Array.of(0) }, 0); // "1.5"
 * cellValueText({ kind: "number", values: Float64Array.of(Number.NaN), nulls: Uint8Array.of(0) }, 0); // undefined
 */
export function cellValueText(column: Column, i: number): string | undefined {
  if (column.nulls[i]) return undefined;
  switch (column.kind) {
    case "category":
      return column.values[i]!;
    case "boolean":
      return column.values[i] ? "true" : "false";
    case "number":
      return Number.isNaN(column.values[i]!) ? undefined : String(column.values[i]);
    case "timestamp":
      return Number.isFinite(column.values[i]!) ? new Date(column.values[i]!).toISOString() : undefined;
  }
}

/**
 * A cell's slice value: {@link cellValueText}, with a missing value as its own slice, `(missing)`.
 * Every shard turns the same cell into the same text, so slices found in different shards line up.
 *
 * @example
 * cellText({ kind: "boolean", values: Uint8Array.of(1), nulls: Uint8Array.of(0) }, 0); // "true"
 * cellText({ kind: "boolean", values: Uint8Array.of(1), nulls: Uint8Array.of(1) }, 0); // "(missing)"
 */
export function cellText(column: Column, i: number): string {
  return cellValueText(column, i) ?? MISSING;
}

/**
 * Orders two slice keys (one text per column) column by column, by UTF-16 code units: the
 * tie-break between equally large slices.
 *
 * @example
 * compareParts(["AE", "pre"], ["AE", "post"]); // 1
 */
export function compareParts(a: readonly string[], b: readonly string[]): number {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j]! < b[j]! ? -1 : 1;
  return 0;
}
