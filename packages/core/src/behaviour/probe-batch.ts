import { selectRows } from "../drift/select-rows.js";
import type { Batch, Column } from "../table/column.js";
import type { CellValue } from "./behaviour-result.js";

/**
 * `copies` copies of `batch` one after another (row `r` of copy `c` at `c * batch.length + r`),
 * every column copied, so probes can overwrite cells without touching the sample.
 *
 * @example
 * repeatBatch(sample, 3).length; // 3 * sample.length
 */
export function repeatBatch(batch: Batch, copies: number): Batch {
  const rows = new Uint32Array(batch.length * copies);
  for (let i = 0; i < rows.length; i++) rows[i] = i % batch.length;
  const names = new Map([...batch.columns.keys()].map((n) => [n, n]));
  return { ...selectRows(batch, rows, names), source: batch.source, firstRow: batch.firstRow };
}

/**
 * Sets one cell; `null` marks it missing (`NaN`, `""` or `0` underneath, as readers do). Text
 * given to a number column is parsed; a value of the wrong type for the column throws a
 * `TypeError`, since callers check specs against the column's kind first.
 *
 * @example
 * setCell(batch.columns.get("region")!, 0, "AE");
 */
export function setCell(column: Column, row: number, value: CellValue): void {
  if (value === null) {
    column.nulls[row] = 1;
    if (column.kind === "category") column.values[row] = "";
    else if (column.kind === "boolean") column.values[row] = 0;
    else column.values[row] = Number.NaN;
    return;
  }
  column.nulls[row] = 0;
  if (column.kind === "category") column.values[row] = String(value);
  else if (column.kind === "boolean") column.values[row] = value === true || value === "true" ? 1 : 0;
  else {
    const n = typeof value === "number" ? value : Number(value);
    if (typeof value === "boolean" || Number.isNaN(n)) throw new TypeError(`not a number: ${String(value)}`);
    column.values[row] = n;
  }
}

/**
 * One cell as a plain value: `null` when missing, timestamps as ISO text.
 *
 * @example
 * cellValue(batch.columns.get("age")!, 0); // 41
 */
export function cellValue(column: Column, row: number): CellValue {
  if (column.nulls[row]) return null;
  switch (column.kind) {
    case "category":
      return column.values[row]!;
    case "boolean":
      return column.values[row] === 1;
    case "timestamp":
      return new Date(column.values[row]!).toISOString();
    case "number":
      return column.values[row]!;
  }
}

/**
 * The named columns of one row, for a report's example.
 *
 * @example
 * rowValues(batch, 3, ["age", "region"]); // { age: 41, region: "AE" }
 */
export function rowValues(batch: Batch, row: number, columns: readonly string[]): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const name of columns) {
    const column = batch.columns.get(name);
    out[name] = column ? cellValue(column, row) : null;
  }
  return out;
}
