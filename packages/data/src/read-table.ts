import type { Batch, ColumnKind, TableSchema } from "@gauntlet/core";
import { UserError, type UserErrorLocation } from "@gauntlet/core";
import { type DataFormat, detectFormat } from "./detect-format.js";
import { translateDuckDbError } from "./duckdb-errors.js";
import { openDuckDbFile } from "./duckdb-file.js";
import { resolveDataPaths } from "./resolve-data-files.js";
import type { FileContext, OpenedFile, ReadBatch } from "./table-file.js";

/**
 * How to read a table.
 *
 * @example
 * const options: ReadOptions = { cwd: "/repo", kinds: { region: "category" }, columns: ["age", "region"], batchSize: 8_192 };
 */
export interface ReadOptions {
  /**
   * The workspace: base for relative paths and globs, and the boundary no file may leave (see
   * {@link resolveInside}); default `process.cwd()`.
   */
  cwd?: string;
  /** Where the path was given (manifest file and field, or an input), named in errors about it. */
  origin?: UserErrorLocation;
  /** Kinds that override inference, e.g. from the manifest's data contract. */
  kinds?: Record<string, ColumnKind>;
  /** Projection: only these (flattened) columns are materialised; absent ones are simply absent. */
  columns?: string[];
  /**
   * Columns read only in place of another, with a projection (`{ "inputs.market": "market" }`:
   * the projected `inputs.market`, else `market`): both are read, except that a JSON Lines file
   * whose first lines (DuckDB's sample) show the preferred key is not searched for the other,
   * which it may still hold as the preferred key's own name (`"market"` nested under `inputs`),
   * and whose search would then take DuckDB's detection of every key of every line.
   */
  fallbacks?: Record<string, string>;
  /**
   * The key columns (`data.key`, in key order) whose row keys each batch carries as `rowKeys`:
   * `rowIdHash(keyIdentity(...))` of every row, computed from DuckDB's vectors without a string
   * per cell, when every key column of the file is a category column (otherwise no `rowKeys`,
   * and the key columns are in the batch's columns to be hashed from). A key column not in
   * `columns` is read for this alone.
   */
  rowKey?: readonly string[];
  /** Rows per batch; default 65,536. */
  batchSize?: number;
  /** Rows sampled per file for type inference; default 1,000. */
  inferRows?: number;
}

/**
 * Streams a CSV, JSONL or Parquet file, or every file a glob matches (in sorted order), as
 * {@link Batch}es of at most `batchSize` rows; memory is bounded by the batch size (for Parquet,
 * by the row group), never by the file size. A column's kind is decided once, by `kinds` or by
 * the first file whose sample has values in it, and kept for the following files. A file that
 * lacks a column the others have simply has no such column in its batches. Row numbers
 * (`firstRow`, invalid cells) count data rows from 1 within each file.
 *
 * @example
 * for await (const batch of readTable("logs/*.jsonl", { columns: ["inputs.age", "score"] })) {
 *   batch.source; // "logs/2024-05-01.jsonl"
 *   batch.columns.get("inputs.age"); // { kind: "number", values: Float64Array [...], nulls: Uint8Array [...] }
 * }
 */
export async function* readTable(pathOrGlob: string, options: ReadOptions = {}): AsyncGenerator<ReadBatch> {
  const { open, contexts } = await planRead(pathOrGlob, options);
  for (const context of contexts) {
    const opened = await open(context);
    try {
      yield* opened.batches();
    } finally {
      await opened.close();
    }
  }
}

/**
 * The columns and kinds {@link readTable} would produce, without reading past each file's header
 * and type-inference sample (Parquet: past its footer), and without making batches: memory is
 * the sample's, also for a file of thousands of columns. Pass `columns` to learn only those. For a glob, the union of the files'
 * columns in order of first appearance.
 *
 * @example
 * await readTableSchema("data/eval.csv");
 * // [{ name: "customer_id", kind: "category" }, { name: "tenure_months", kind: "number" }, ...]
 */
export async function readTableSchema(pathOrGlob: string, options: ReadOptions = {}): Promise<TableSchema> {
  return (await schemaOf(pathOrGlob, options, false)).schema;
}

/**
 * {@link readTableSchema}, and whether the table is empty (no file has a row): each file is asked
 * for one row in the same open, so a step that refuses an empty table learns both from one open
 * per file, without streaming a batch (which would have DuckDB parse ahead in parallel).
 *
 * @example
 * await readTableShape("data/eval.csv", { cwd, columns: ["churned", "region"] });
 * // { schema: [{ name: "region", kind: "category" }, { name: "churned", kind: "number" }], empty: false }
 */
export async function readTableShape(
  pathOrGlob: string,
  options: ReadOptions = {},
): Promise<{ schema: TableSchema; empty: boolean }> {
  return schemaOf(pathOrGlob, options, true);
}

async function schemaOf(
  pathOrGlob: string,
  options: ReadOptions,
  rows: boolean,
): Promise<{ schema: TableSchema; empty: boolean }> {
  const { open, contexts, format } = await planRead(pathOrGlob, options);
  for (const context of contexts) context.schemaOnly = true;
  const names: string[] = [];
  const fallback = new Map<string, ColumnKind>();
  let empty = true;
  for (const context of contexts) {
    const opened = await open(context);
    try {
      if (rows && empty) empty = !(await hasRow(opened, context, format));
    } finally {
      await opened.close();
    }
    for (const { name, kind } of opened.schema) {
      if (!fallback.has(name)) {
        names.push(name);
        fallback.set(name, kind);
      }
    }
  }
  const kinds = contexts[0]!.kinds;
  return { schema: names.map((name) => ({ name, kind: kinds.get(name) ?? fallback.get(name)! })), empty };
}

/** Whether an opened file has a row; a blank file (no SQL view) has none. */
async function hasRow(opened: OpenedFile, context: FileContext, format: DataFormat): Promise<boolean> {
  if (opened.sql === undefined) return false;
  const { connection, source } = opened.sql;
  try {
    return (await connection.runAndReadAll(`SELECT 1 FROM ${source} LIMIT 1`)).getRows().length > 0;
  } catch (error) {
    throw await translateDuckDbError(error, context, format);
  }
}

/**
 * The files a path or glob names, each with the context it is read in (kinds shared across them),
 * their one format, and how to open one.
 *
 * @example
 * const { contexts, format, open } = await planRead("data/*.csv", { cwd });
 */
export async function planRead(
  pathOrGlob: string,
  options: ReadOptions,
): Promise<{
  open: (context: FileContext) => Promise<OpenedFile>;
  contexts: FileContext[];
  format: DataFormat;
}> {
  const cwd = options.cwd ?? process.cwd();
  const batchSize = positiveInteger(options.batchSize ?? 65_536, "batchSize");
  const inferRows = positiveInteger(options.inferRows ?? 1_000, "inferRows");
  const files = await resolveDataPaths(pathOrGlob, cwd, options.origin);
  const paths = files.map((file) => file.display);
  const formats = paths.map(detectFormat);
  const mismatch = formats.findIndex((format) => format !== formats[0]);
  if (mismatch !== -1) {
    throw new UserError(
      `the glob matches files of different formats: ${paths[0]} is ${formats[0]}, ${paths[mismatch]} is ${formats[mismatch]}`,
      {
        file: pathOrGlob,
        fix: "narrow the glob to one extension, e.g. logs/*.jsonl",
      },
    );
  }
  // One shared map, so that kinds decided by one file hold for the next.
  const kinds = new Map(Object.entries(options.kinds ?? {}));
  const columns = options.columns === undefined ? undefined : new Set(options.columns);
  const keys = options.rowKey ?? [];
  // Without a projection every column is read, the keys included.
  const hashOnly = new Set(columns === undefined ? [] : keys.filter((k) => !columns.has(k)));
  for (const key of hashOnly) columns!.add(key);
  // A fallback also asked for as a column of its own is read as one.
  const fallbacks =
    columns === undefined
      ? undefined
      : new Map(Object.entries(options.fallbacks ?? {}).filter(([, fallback]) => !columns.has(fallback)));
  for (const fallback of fallbacks?.values() ?? []) columns!.add(fallback);
  const rowKey = keys.length === 0 ? undefined : { names: keys, hashOnly };
  return {
    format: formats[0]!,
    open: (context) => openDuckDbFile(context, formats[0]!),
    contexts: files.map(({ path, display }) => ({
      path,
      display,
      kinds,
      columns,
      ...(fallbacks?.size ? { fallbacks } : {}),
      rowKey,
      batchSize,
      inferRows,
    })),
  };
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
