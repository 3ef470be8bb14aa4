import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

let instance: Promise<DuckDBInstance> | undefined;

/**
 * A new connection to the process's one in-memory DuckDB database. `@duckdb/node-api` is
 * imported here, on first use, so that steps that read no data (release-gate, promote) never load
 * its native binding (110–170 ms). Each opened file gets its own connection, because a
 * connection streams one result at a time and a step may read two files at once.
 *
 * @example
 * const connection = await connectDuckDb();
 * try {
 *   const result = await connection.stream("SELECT 42");
 * } finally {
 *   connection.closeSync();
 * }
 */
export async function connectDuckDb(): Promise<DuckDBConnection> {
  instance ??= import("@duckdb/node-api").then(({ DuckDBInstance }) =>
    // Insertion order keeps rows in file order, which row numbers in errors rely on.
    DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" }),
  );
  return (await instance).connect();
}

/**
 * A SQL string literal.
 *
 * @example
 * sqlString("it's.csv"); // "'it''s.csv'"
 */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A quoted SQL identifier.
 *
 * @example
 * sqlName('a "b"'); // '"a ""b"""'
 */
export function sqlName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
