import type { ColumnKind, UserErrorLocation } from "@gauntlet/core";
import { keyIdentity } from "@gauntlet/core";
import { connectDuckDb, sqlName } from "./duckdb-engine.js";
import { readTable } from "./read-table.js";

let tables = 0;

/** What {@link loadKeyedTable} reads. */
export interface KeyedTableOptions {
  /** The workspace; paths resolve inside it. */
  cwd: string;
  /** Where the path was given, named in read errors. */
  origin?: UserErrorLocation;
  /** The key column(s); a row's key is their values as `keyIdentity` reads them. */
  keys: readonly string[];
  /** The numeric columns to look up by key. */
  columns: readonly string[];
  /** Kinds that override inference: give the key columns the kinds of the table they are joined to. */
  kinds?: Record<string, ColumnKind>;
}

/** A key that occurs more than once, with where it first occurs again. */
export interface DuplicateKey {
  key: string;
  count: number;
}

/** Values looked up for a list of keys, in the order of the keys. */
export interface KeyedValues {
  /** Per looked-up column, one value per key: `NaN` where the key is absent or the cell null. */
  columns: Float64Array[];
  /** 1 where the key was found. */
  found: Uint8Array;
}

/** A table held in DuckDB by key, to join another table's rows to it batch by batch. */
export interface KeyedTable {
  /** Rows read (rows without a key included). */
  rows: number;
  /** Every file read, in order. */
  files: string[];
  /** How many distinct keys occur more than once, and the first few of them (in key order). */
  duplicates: { count: number; first: DuplicateKey[] };
  /** Rows with a null key cell, and the first of them (`file row n`). */
  nullKeys: { count: number; first: string | undefined };
  /** Cells of the looked-up columns that did not parse as numbers, and the first (`file row n = "text"`). */
  unparsed: { count: number; first: string | undefined };
  /** The columns' values for `keys` (`undefined` = a row without a key, never found). */
  lookup(keys: readonly (string | undefined)[]): Promise<KeyedValues>;
  close(): Promise<void>;
}

/**
 * Reads a CSV, JSONL or Parquet file (or glob) with `readTable` — the readers and kinds every
 * other table goes through, so keys compare as they read elsewhere — into a DuckDB table of key
 * text and numeric columns, and answers lookups by key with a join there: a table of millions of
 * rows is held by DuckDB, not in JavaScript objects. Duplicated keys, null keys and cells that are
 * not numbers are counted for the caller to report; a lookup of a duplicated key returns one of
 * its rows, so check {@link KeyedTable.duplicates} first.
 *
 * @example
 * const predictions = await loadKeyedTable("models/churn/predictions.csv", { cwd, keys: ["customer_id"], columns: ["score"] });
 * predictions.duplicates.count; // 0
 * const { columns, found } = await predictions.lookup(["c-1", "c-2"]);
 * columns[0]; // Float64Array [0.12, 0.87]
 * await predictions.close();
 */
export async function loadKeyedTable(pathOrGlob: string, options: KeyedTableOptions): Promise<KeyedTable> {
  const connection = await connectDuckDb();
  const table = `gauntlet_keyed_${++tables}`;
  const query = `${table}_keys`;
  const valueNames = options.columns.map((_, i) => `v${i}`);
  const close = async () => {
    await connection.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
    await connection.run(`DROP TABLE IF EXISTS temp.${query}`).catch(() => undefined);
    connection.closeSync();
  };
  try {
    const defs = valueNames.map((n) => `${sqlName(n)} DOUBLE`);
    await connection.run(`CREATE TEMP TABLE ${table} (k VARCHAR, ${defs.join(", ")})`);
    await connection.run(`CREATE TEMP TABLE ${query} (pos INTEGER, k VARCHAR)`);
    const appender = await connection.createAppender(table, "main", "temp");
    const files: string[] = [];
    const nullKeys = { count: 0, first: undefined as string | undefined };
    const unparsed = { count: 0, first: undefined as string | undefined };
    let rows = 0;
    const kinds: Record<string, ColumnKind> = { ...options.kinds };
    for (const column of options.columns) kinds[column] = "number";
    const batches = readTable(pathOrGlob, {
      cwd: options.cwd,
      ...(options.origin ? { origin: options.origin } : {}),
      kinds,
      columns: [...options.keys, ...options.columns],
    });
    for await (const batch of batches) {
      if (!files.includes(batch.source)) files.push(batch.source);
      rows += batch.length;
      const keys = options.keys.map((k) => batch.columns.get(k));
      const values = options.columns.map((c) => batch.columns.get(c));
      for (const column of options.columns) {
        for (const cell of batch.invalid.get(column) ?? []) {
          unparsed.count++;
          unparsed.first ??= `${batch.source} row ${cell.row} = ${JSON.stringify(cell.raw)}`;
        }
      }
      for (let i = 0; i < batch.length; i++) {
        const key = keyIdentity(keys, i);
        if (key === undefined) {
          nullKeys.count++;
          nullKeys.first ??= `${batch.source} row ${batch.firstRow + i}`;
          continue;
        }
        appender.appendVarchar(key);
        for (const column of values) {
          if (column?.kind !== "number" || column.nulls[i] === 1) appender.appendNull();
          else appender.appendDouble(column.values[i]!);
        }
        appender.endRow();
      }
    }
    appender.closeSync();
    const repeated = await connection.runAndReadAll(
      `SELECT k, count(*)::INTEGER AS n, count(*) OVER ()::INTEGER AS total FROM ${table} GROUP BY k HAVING count(*) > 1 ORDER BY k LIMIT 3`,
    );
    const duplicateRows = repeated.getRowsJS() as [string, number, number][];
    const duplicates = {
      count: duplicateRows[0]?.[2] ?? 0,
      first: duplicateRows.map(([key, count]) => ({ key, count })),
    };
    return {
      rows,
      files,
      duplicates,
      nullKeys,
      unparsed,
      async lookup(keys) {
        const keyAppender = await connection.createAppender(query, "main", "temp");
        keys.forEach((key, pos) => {
          keyAppender.appendInteger(pos);
          if (key === undefined) keyAppender.appendNull();
          else keyAppender.appendVarchar(key);
          keyAppender.endRow();
        });
        keyAppender.closeSync();
        // Duplicated keys are an error the caller reports first; were one looked up, a later row wins.
        const selected = valueNames.map((n) => `t.${sqlName(n)}`).join(", ");
        const reader = await connection.runAndReadAll(
          `SELECT q.pos, ${selected} FROM ${query} q JOIN ${table} t ON q.k = t.k`,
        );
        await connection.run(`DELETE FROM ${query}`);
        const columns = valueNames.map(() => new Float64Array(keys.length).fill(Number.NaN));
        const found = new Uint8Array(keys.length);
        const read = reader.getColumnsJS() as (number | null)[][];
        const positions = read[0]!;
        for (let r = 0; r < positions.length; r++) {
          const pos = positions[r] as number;
          found[pos] = 1;
          for (let c = 0; c < valueNames.length; c++) {
            const value = read[1 + c]![r];
            columns[c]![pos] = value === null || value === undefined ? Number.NaN : value;
          }
        }
        return { columns, found };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
