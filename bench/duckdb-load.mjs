// The peer of evaluate's read phase: DuckDB's plain load of a CSV (`@duckdb/node-api`, sniffing
// the dialect and types, every column into an in-memory table), as a user would write it. Run as
// its own process: `node bench/duckdb-load.mjs <file.csv>` prints one JSON line (seconds, rows).
import { DuckDBInstance } from "@duckdb/node-api";

const [path] = process.argv.slice(2);
const started = performance.now();
const db = await DuckDBInstance.create(":memory:");
const connection = await db.connect();
await connection.run(`CREATE TABLE t AS SELECT * FROM read_csv('${path.replaceAll("'", "''")}')`);
const rows = Number((await connection.runAndReadAll("SELECT count(*) FROM t")).getRows()[0][0]);
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, rows }));
