import type { ColumnKind } from "../table/column.js";

/** A row of a source file, 1-based, header excluded. */
export interface RowRef {
  source: string;
  row: number;
}

/** Offending rows of one kind: how many, and the first few in file order. */
export interface Tally {
  count: number;
  rows: readonly RowRef[];
}

/**
 * What the contract checks and the profile know about one column: counts, extremes, the first
 * offending rows, the first unseen category values and a capped distinct count. A streaming
 * validator accumulates it batch by batch ({@link ColumnAccumulator}); a query engine can
 * compute it in one pass over a file (`summariseTable` in `@gauntlet/data`).
 *
 * @example
 * const age: ColumnSummary = { kind: "number", rows: 3, nulls: { count: 1, rows: [{ source: "a.csv", row: 2 }] }, ... };
 */
export interface ColumnSummary {
  kind: ColumnKind | undefined;
  /** Rows of the files that have this column. */
  rows: number;
  /** Files that lack the column. */
  filesMissing: readonly string[];
  /** Missing cells (cells that could not be parsed are in `invalid` instead). */
  nulls: Tally;
  invalid: Tally;
  /** The raw text of the first invalid cell. */
  invalidExample: string | undefined;
  /** Rows whose value was read as another kind than the contract's. */
  mismatched: Tally;
  mismatchedKind: ColumnKind | undefined;
  /** NaN and infinite values of a number column. */
  nonFinite: Tally;
  belowMin: Tally;
  aboveMax: Tally;
  /** Rows of a category column holding a value outside the contract's list. */
  unseen: Tally;
  /** The first unseen values, in order of first appearance. */
  unseenValues: ReadonlySet<string>;
  /** More distinct unseen values exist than `unseenValues` holds. */
  unseenValuesCapped: boolean;
  /** Over non-null finite values (of number, boolean and timestamp columns). */
  min: number;
  max: number;
  sum: number;
  count: number;
  /** Distinct non-null (finite) values, counted up to a cap; `distinctCapped` says it was hit. */
  distinct: number;
  distinctCapped: boolean;
}

/**
 * A whole table (one file or several) summarised for its data contract: the row count, the
 * uniqueness of keys and rows, and a {@link ColumnSummary} per column, declared or not.
 *
 * @example
 * const summary: TableSummary = { files: ["data/eval.csv"], rows: 1000, columns, keyColumns: ["customer_id"], ... };
 */
export interface TableSummary {
  files: readonly string[];
  rows: number;
  /** Every column seen, in first-seen order (declared columns the files lack included). */
  columns: ReadonlyMap<string, ColumnSummary>;
  keyColumns: readonly string[];
  /** Rows whose key repeats an earlier row's. */
  duplicateKeys: Tally;
  /** Rows without a key (a key column null). */
  nullKeys: Tally;
  /** Some file lacks a key column. */
  keyMissing: boolean;
  /** Rows that repeat an earlier row in every column. */
  duplicateRows: Tally;
}

/** The distinct count both the streaming validator and query engines stop at. */
export const DISTINCT_CAP = 1000;
