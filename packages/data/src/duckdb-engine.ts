import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

let instance: Promise<DuckDBInstance> | undefined;

/**
 * A new connection to the process's one in-memory DuckDB database, with its own
 * `streaming_buffer_size` when `options.streamingBuffer` is given (e.g. "16MB"). `@duckdb/node-api` is
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
export async function connectDuckDb(options: { streamingBuffer?: string } = {}): Promise<DuckDBConnection> {
  // The module of DuckDBInstance, not the package's index: importing a CommonJS module from ESM
  // makes Node lex it and every module it re-exports for named exports, which for the index (all
  // of node-api) cost 0.13-0.17 CPU-s of the 0.25-0.3 s that loading DuckDB took (unbundled, as
  // the CLI and benches run); this module is lexed alone and loads the rest by require.
  instance ??= import("@duckdb/node-api/lib/DuckDBInstance.js").then(({ DuckDBInstance }) =>
    // Insertion order keeps rows in file order, which row numbers in errors rely on.
    DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" }),
  );
  const connection = await (await instance).connect();
  // A connection's own setting: the other connections keep DuckDB's default.
  if (options.streamingBuffer !== undefined)
    await connection.run(`SET streaming_buffer_size = ${sqlString(options.streamingBuffer)}`);
  return connection;
}

/**
 * How much of a streamed JSON Lines result DuckDB may compute ahead of the reader. At DuckDB's
 * default (976.5 KiB, about two chunks of the drift bench log) its JSON-parsing threads stop and are
 * woken again at nearly every chunk the reader converts, which cost the 1M-row drift log's read
 * about 1 s of CPU more (3.3–3.7 s against 2.3–2.5 s at 16–32 MB, load 10–13). CSV reads keep the
 * default: a larger buffer raised the 210 MB CSV streaming test's peak over its 250 MB bound.
 */
export const JSON_STREAMING_BUFFER = "16MB";

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
