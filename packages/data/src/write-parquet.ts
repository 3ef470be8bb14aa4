import type { Column } from "@gauntlet/core";
import { connectDuckDb, sqlName, sqlString } from "./duckdb-engine.js";

let tables = 0;

/**
 * Writes columns as a Parquet file through DuckDB: numbers as DOUBLE (every value bit for bit),
 * categories as VARCHAR, booleans as BOOLEAN, nulls as nulls (timestamps are not written: the
 * reference sample holds none). Rows are `length` long in every column. Used for the reference sample promote
 * attaches to a release (`reference-sample.parquet`), which `readTable` reads back.
 *
 * @example
 * await writeParquet("out/reference-sample.parquet", new Map([["age", ageColumn]]), 1000);
 */
export async function writeParquet(
  path: string,
  columns: ReadonlyMap<string, Exclude<Column, { kind: "timestamp" }>>,
  length: number,
): Promise<void> {
  const connection = await connectDuckDb();
  const table = `gauntlet_parquet_${++tables}`;
  const types = { number: "DOUBLE", category: "VARCHAR", boolean: "BOOLEAN" };
  try {
    const defs = [...columns].map(([name, c]) => `${sqlName(name)} ${types[c.kind]}`);
    await connection.run(`CREATE TEMP TABLE ${table} (${defs.join(", ")})`);
    const appender = await connection.createAppender(table, "main", "temp");
    const list = [...columns.values()];
    for (let row = 0; row < length; row++) {
      for (const c of list) {
        if (c.nulls[row] === 1) appender.appendNull();
        else if (c.kind === "number") appender.appendDouble(c.values[row]!);
        else if (c.kind === "category") appender.appendVarchar(c.values[row]!);
        else appender.appendBoolean(c.values[row] === 1);
      }
      appender.endRow();
    }
    appender.closeSync();
    await connection.run(`COPY ${table} TO ${sqlString(path)} (FORMAT parquet)`);
  } finally {
    await connection.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
    connection.closeSync();
  }
}
