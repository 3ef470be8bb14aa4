/**
 * The four logical column types of a table. Every reader (CSV, JSONL, Parquet) produces these.
 * - `number`: finite or non-finite doubles (`NaN`/`Infinity` text is kept as such and counted by checks)
 * - `category`: strings (numbers that a contract declares as `category` are kept as their text)
 * - `boolean`: true/false (`true`/`false`, `1`/`0` are not coerced unless the contract says boolean)
 * - `timestamp`: milliseconds since the Unix epoch, UTC
 */
export type ColumnKind = "number" | "category" | "boolean" | "timestamp";

/**
 * One column of a {@link Batch}. `nulls[i] === 1` marks a missing value at row `i`; then
 * `values[i]` is `NaN` (number, timestamp), `0` (boolean) or `""` (category).
 * A cell that could not be parsed as the column's kind counts as null here and is listed in
 * {@link Batch.invalid}.
 */
export type Column =
  | { kind: "number"; values: Float64Array; nulls: Uint8Array }
  | { kind: "timestamp"; values: Float64Array; nulls: Uint8Array }
  | { kind: "boolean"; values: Uint8Array; nulls: Uint8Array }
  | { kind: "category"; values: string[]; nulls: Uint8Array };

/** A cell whose text could not be parsed as its column's kind. */
export interface InvalidCell {
  /** 1-based data row number within {@link Batch.source} (the header is not counted). */
  row: number;
  /** The raw text, truncated to 100 characters. */
  raw: string;
}

/**
 * A slice of consecutive rows of one source file, column by column. Readers yield batches of a
 * bounded number of rows so that files larger than memory can be processed as a stream.
 */
export interface Batch {
  /** Path of the file these rows came from. */
  source: string;
  /** 1-based row number (within `source`, header excluded) of this batch's first row. */
  firstRow: number;
  /** Number of rows in the batch. */
  length: number;
  /** Columns by (flattened, dotted) name, in file order. */
  columns: Map<string, Column>;
  /** Unparseable cells by column name (only columns that have any). */
  invalid: Map<string, InvalidCell[]>;
}

/** Column names and kinds of a table, in file order. */
export type TableSchema = { name: string; kind: ColumnKind }[];
