import { UserError } from "../errors/user-error.js";
import type { Batch, Column } from "../table/column.js";

/**
 * A logged yes/no value at row `i`: a boolean, a number (non-zero is `true`) or the text
 * `true`/`false`/`1`/`0` in any case; `null` when missing. Any other text (and any cell the reader
 * could not parse) is a {@link UserError} naming the value, its file and row, and `field` — the
 * manifest field that named the column (e.g. `monitoring.error`).
 *
 * @example
 * loggedFlag(column, 0, batch, { file: "models/churn/model.yml", field: "monitoring.error", what: "error flag" }); // true
 */
export function loggedFlag(
  column: Column,
  i: number,
  batch: Batch,
  where: { file: string; field: string; what: string },
): boolean | null {
  if (column.nulls[i] === 1) return null;
  if (column.kind === "boolean") return column.values[i] === 1;
  if (column.kind === "number" || column.kind === "timestamp") {
    const v = column.values[i]!;
    return Number.isNaN(v) ? null : v !== 0;
  }
  const text = column.values[i]!.trim().toLowerCase();
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  if (text === "") return null;
  throw badFlag(column.values[i]!, batch.source, batch.firstRow + i, where);
}

/**
 * Throws for the first cell of `name` in `batch` the reader could not parse as its kind.
 *
 * @example
 * checkParsedFlags(batch, "error", { file, field: "monitoring.error", what: "error flag" });
 */
export function checkParsedFlags(
  batch: Batch,
  name: string,
  where: { file: string; field: string; what: string },
): void {
  const bad = batch.invalid.get(name)?.[0];
  if (bad) throw badFlag(bad.raw, batch.source, bad.row, where);
}

function badFlag(
  raw: string,
  source: string,
  row: number,
  where: { file: string; field: string; what: string },
): UserError {
  return new UserError(
    `${where.what} "${raw.slice(0, 100)}" in ${source} row ${row} is not true/false or 1/0`,
    {
      file: where.file,
      field: where.field,
      fix: `log it as a boolean, 1/0, or the text true/false; or point ${where.field} at the field that holds one`,
    },
  );
}
