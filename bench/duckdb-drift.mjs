// The peer of bench/drift.bench.mjs: what a user would write by hand with DuckDB
// (`@duckdb/node-api`) plus JavaScript — exact per-window Kolmogorov–Smirnov and Wasserstein
// statistics of the numeric features and category counts of the categorical ones, against the
// reference CSV. Run as its own process: `node bench/duckdb-drift.mjs <log.jsonl> <reference.csv>`
// prints one JSON line (wall time, peak RSS, the statistics).
import { DuckDBInstance } from "@duckdb/node-api";

const [logPath, referencePath] = process.argv.slice(2);
const NUMERIC = ["tenure_months", "monthly_charges", "support_calls", "data_gb", "age"];
const CATEGORIES = ["region", "plan", "payment_method", "device_os"];
const quote = (text) => `'${text.replaceAll("'", "''")}'`;

const started = performance.now();
const cpuBefore = process.cpuUsage();
const db = await DuckDBInstance.create(":memory:");
const connection = await db.connect();

/** One DOUBLE column of a query, from each chunk's typed array (no per-value conversion). */
async function doubles(sql) {
  const chunks = await (await connection.run(sql)).fetchAllChunks();
  const out = new Float64Array(chunks.reduce((n, c) => n + c.rowCount, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk.getColumnVector(0).items.subarray(0, chunk.rowCount), at);
    at += chunk.rowCount;
  }
  return out;
}

/** KS statistic and Wasserstein distance of two ascending arrays (scipy's definitions). */
function compare(a, b) {
  let i = 0;
  let j = 0;
  let ks = 0;
  let w = 0;
  let previous = Math.min(a[0], b[0]);
  while (i < a.length || j < b.length) {
    const x = Math.min(i < a.length ? a[i] : Infinity, j < b.length ? b[j] : Infinity);
    w += Math.abs(i / a.length - j / b.length) * (x - previous);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    ks = Math.max(ks, Math.abs(i / a.length - j / b.length));
    previous = x;
  }
  return { ks, wasserstein: w };
}

function std(values) {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let s = 0;
  for (const v of values) s += (v - mean) ** 2;
  return Math.sqrt(s / values.length);
}

const reference = {};
for (const c of NUMERIC) {
  reference[c] = await doubles(
    `SELECT "${c}"::DOUBLE FROM read_csv(${quote(referencePath)}) WHERE "${c}" IS NOT NULL AND isfinite("${c}"::DOUBLE) ORDER BY 1`,
  );
}
await connection.run(`CREATE TABLE log AS SELECT
  epoch_ms(time_bucket(INTERVAL 1 DAY, ts::TIMESTAMP)) AS window_start,
  ${NUMERIC.map((c) => `inputs.${c}::DOUBLE AS ${c}`).join(", ")},
  ${CATEGORIES.map((c) => `inputs.${c}::VARCHAR AS ${c}`).join(", ")}
  FROM read_json(${quote(logPath)}) WHERE model_version = '1.2.0' AND ts IS NOT NULL`);
const windows = [...(await doubles("SELECT DISTINCT window_start::DOUBLE FROM log ORDER BY 1"))];
const perWindow = [];
for (const start of windows) {
  const columns = {};
  for (const c of NUMERIC) {
    const values = await doubles(
      `SELECT ${c} FROM log WHERE window_start = ${start} AND ${c} IS NOT NULL AND isfinite(${c}) ORDER BY 1`,
    );
    columns[c] = compare(reference[c], values);
  }
  perWindow.push({ start, columns });
}
const counts = {};
for (const c of CATEGORIES) {
  const rows = await (
    await connection.run(`SELECT window_start::DOUBLE, ${c}, count(*)::DOUBLE FROM log GROUP BY ALL`)
  ).getRows();
  counts[c] = rows.length;
}
// The whole period, in reference standard deviations: what drift-check reports per column.
const overall = {};
for (const c of NUMERIC) {
  const values = await doubles(`SELECT ${c} FROM log WHERE ${c} IS NOT NULL AND isfinite(${c}) ORDER BY 1`);
  overall[c] = compare(reference[c], values).wasserstein / std(reference[c]);
}
const wallS = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    windows: perWindow.length,
    categoryCells: counts,
    overall,
  }),
);
