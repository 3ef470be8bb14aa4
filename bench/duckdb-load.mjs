// The peer of evaluate's read phase: DuckDB loading the same CSV as a user would write it with
// `@duckdb/node-api`. Run as its own process, it prints one JSON line (seconds, rows):
//
//   node bench/duckdb-load.mjs <file.csv>
//     every column into an in-memory DuckDB table (sniffing the dialect and types): the data stays
//     in DuckDB, none of it reaches JavaScript.
//   node bench/duckdb-load.mjs <file.csv> '<{"key": "...", "numbers": [...], "categories": [...]}>'
//     the columns the evaluation reads, into JavaScript memory, the fastest way DuckDB hands them
//     over: the projected CSV loaded into a table (sniffed), each category column made an ENUM of
//     its distinct values, then chunk by chunk every number column CAST to DOUBLE copied from the
//     vector's Float64Array, every category as its ENUM code, and the key as DuckDB's hash() —
//     typed arrays of every row, what the step must hold to score and slice them.
//
// The clock starts before `@duckdb/node-api` is imported, as the step's read phase includes the
// first import of it (loading the native library is part of reading with DuckDB).

const [path, spec] = process.argv.slice(2);
const quote = (name) => `"${name.replaceAll('"', '""')}"`;
const started = performance.now();
const { DuckDBInstance } = await import("@duckdb/node-api");
const db = await DuckDBInstance.create(":memory:");
const connection = await db.connect();
const csv = `read_csv('${path.replaceAll("'", "''")}')`;
let rows;
if (spec === undefined) {
  await connection.run(`CREATE TABLE t AS SELECT * FROM ${csv}`);
  rows = Number((await connection.runAndReadAll("SELECT count(*) FROM t")).getRows()[0][0]);
} else {
  const { key, numbers, categories } = JSON.parse(spec);
  const projected = [key, ...numbers, ...categories].map(quote).join(", ");
  await connection.run(`CREATE TABLE t AS SELECT ${projected} FROM ${csv}`);
  for (const [c, name] of categories.entries()) {
    await connection.run(
      `CREATE TYPE e${c} AS ENUM (SELECT DISTINCT ${quote(name)} FROM t WHERE ${quote(name)} IS NOT NULL)`,
    );
  }
  const select = [
    `hash(${quote(key)})`,
    ...numbers.map((n) => `CAST(${quote(n)} AS DOUBLE)`),
    ...categories.map((n, c) => `CAST(${quote(n)} AS e${c})`),
  ].join(", ");
  const total = Number((await connection.runAndReadAll("SELECT count(*) FROM t")).getRows()[0][0]);
  const keys = new BigUint64Array(total);
  const values = numbers.map(() => new Float64Array(total));
  const codes = categories.map(() => new Uint8Array(total));
  const result = await connection.stream(`SELECT ${select} FROM t`);
  rows = 0;
  for (
    let chunk = await result.fetchChunk();
    chunk && chunk.rowCount > 0;
    chunk = await result.fetchChunk()
  ) {
    const n = chunk.rowCount;
    keys.set(chunk.getColumnVector(0).items.subarray(0, n), rows);
    for (const [j, v] of values.entries()) v.set(chunk.getColumnVector(1 + j).items.subarray(0, n), rows);
    for (const [j, v] of codes.entries()) {
      v.set(chunk.getColumnVector(1 + numbers.length + j).items.subarray(0, n), rows);
    }
    rows += n;
  }
}
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, rows }));
