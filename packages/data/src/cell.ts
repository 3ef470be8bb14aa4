/**
 * One raw value as a reader found it, before it is converted to its column's kind: text from
 * CSV, JSON scalars from JSONL, decoded values from Parquet. `null`, `undefined` and the empty
 * string all mean "missing".
 *
 * @example
 * const cells: Cell[] = ["12", 3.5, true, 10n, new Date(0), null];
 */
export type Cell = string | number | boolean | bigint | Date | null | undefined;

/**
 * The text of a cell as it is reported for an invalid value and kept in category columns.
 *
 * @example
 * cellText(1.5); // "1.5"
 * cellText(new Date(0)); // "1970-01-01T00:00:00.000Z"
 */
export function cellText(cell: Exclude<Cell, null | undefined>): string {
  if (typeof cell === "string") return cell;
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "Invalid Date" : cell.toISOString();
  return String(cell);
}

/**
 * True when a cell counts as missing: `null`, `undefined` or the empty string.
 *
 * @example
 * isMissing(""); // true
 * isMissing(0); // false
 */
export function isMissing(cell: Cell): cell is null | undefined | "" {
  return cell === null || cell === undefined || cell === "";
}
