import type { DuckDBConnection } from "@duckdb/node-api";
import type { Batch, ColumnKind, TableSchema } from "@gauntlet/core";
import type { Plan } from "./duckdb-plans.js";
import type { TypedRead } from "./duckdb-rows.js";
import type { RowKeys } from "./row-key-hash.js";

/**
 * What a reader knows about the file it is reading and how the caller wants it read.
 *
 * @example
 * const context: FileContext = { path: "/repo/data/eval.csv", display: "data/eval.csv",
 *   kinds: new Map([["age", "number"]]), columns: undefined, batchSize: 65_536, inferRows: 1_000 };
 */
export interface FileContext {
  /** Absolute path to open. */
  path: string;
  /** Path as the user gave it (or as the glob matched it), used in batches and errors. */
  display: string;
  /**
   * Kinds decided so far: the caller's overrides, then kinds inferred from earlier files of the
   * same glob, so that a column keeps one kind across files. Readers add what they infer.
   */
  kinds: Map<string, ColumnKind>;
  /** Projection: only these columns are materialised (all when undefined). */
  columns: ReadonlySet<string> | undefined;
  /** Projected columns read only in place of another (preferred → fallback, see `ReadOptions`). */
  fallbacks?: ReadonlyMap<string, string>;
  /**
   * The key columns (in key order) whose row keys each batch carries as `rowKeys` (see
   * {@link ReadBatch}); those in `hashOnly` are read for that alone and left out of the batch's
   * columns whenever they are hashed.
   */
  rowKey?: { names: readonly string[]; hashOnly: ReadonlySet<string> } | undefined;
  batchSize: number;
  inferRows: number;
  /**
   * Only the schema is wanted (`readTableSchema`): no batch buffers are made, so a file of
   * 10,000 columns costs its type-inference sample, not 10,000 columns of a full batch.
   */
  schemaOnly?: boolean;
  /** Line of a CSV file's header, once read: errors about rows name it. */
  headerLine?: number;
  /**
   * The caller aggregates the file in SQL and may start before a plain CSV's long-line scan has
   * passed: `open` then returns a view whose `settled` waits for it (see {@link SqlView}).
   */
  sqlAhead?: boolean;
}

/**
 * A data file whose schema is known (its header or metadata read, its type-inference sample
 * buffered) and whose rows can now be streamed. `close` releases the file when `batches` is not
 * run to its end.
 *
 * @example
 * const file = await openCsvFile(context);
 * try {
 *   file.schema; // [{ name: "age", kind: "number" }, ...]
 *   for await (const batch of file.batches()) use(batch);
 * } finally {
 *   await file.close();
 * }
 */
export interface OpenedFile {
  schema: TableSchema;
  batches(): AsyncGenerator<Batch>;
  close(): Promise<void>;
  /** The file as SQL, for queries that aggregate in DuckDB instead of streaming batches. */
  sql?: SqlView;
}

/**
 * An opened file as DuckDB reads it: `source` is the table function call (`read_csv(...)`), and
 * each schema column has the SQL expression of its value, converted as batches convert it
 * (see {@link Plan}). The connection is the file's own and is closed with the file.
 */
export interface SqlView {
  connection: DuckDBConnection;
  source: string;
  columns: readonly Plan[];
  /** The same file with some number columns parsed by DuckDB's CSV reader, when it allows. */
  typed?: TypedRead | undefined;
  /**
   * Set when the file was opened `sqlAhead` and its scan for long lines and underscores was
   * still running: this view takes no cell for an underscore (every number column typed), and
   * `settled` is the view the scan allows, or rejects with its error (a line over the limit).
   */
  settled?: Promise<SqlView> | undefined;
}

/**
 * A batch as `readTable` yields it: with `rowKeys` when the read named key columns (`rowKey`) and
 * every one of them is a category column, so the keys were hashed without making their text.
 */
export interface ReadBatch extends Batch {
  rowKeys?: RowKeys;
}
