// drift-check without gauntlet: a JSONL prediction log (nested `inputs`, 7 daily windows) of
// 1,000,000 rows — 10,000,000 with BENCH_ROWS=10000000 — compared per window and feature with a
// 100,000-row reference CSV by bench/python/drift_check.py (pandas + scipy on Debian's
// /usr/bin/python3): PSI, KS, Wasserstein and Jensen–Shannon for numbers; PSI, Jensen–Shannon and
// chi-square for categories. Logs above 1 GB are read in 500k-row chunks (they do not fit whole).
// Figures also go to bench/out/python-drift.json for the gauntlet bench's ratio.

import {
  predictionLogJsonl,
  referenceCsv,
  runPython,
  savePythonFigures,
  setupPython,
} from "./python/inputs.mjs";
import { figure } from "./support.mjs";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

setupPython();
const log = predictionLogJsonl(ROWS);
const reference = referenceCsv();
const started = performance.now();
const py = runPython("drift_check.py", ["--log", log.path, "--reference", reference.path, "--window", "1D"]);
const processSeconds = (performance.now() - started) / 1000;

figure("rows", py.rows);
figure("log size", log.bytes / 1e6, "MB");
figure("monitored rows", `${py.monitored_rows} (${py.skipped_rows} of another version skipped)`);
figure("windows × features", `${py.windows} × ${py.features} = ${py.checks} checks`);
figure("read", py.chunked ? "chunked (500k rows)" : "whole file");
figure("read reference (read_csv)", py.read_reference_s, "s");
figure("read log (read_json+normalize)", py.read_log_s, "s");
figure("statistics", py.stats_s, "s");
figure("wall time (python)", py.total_s, "s");
figure("wall time (process)", processSeconds, "s");
figure("throughput (python)", Math.round(py.rows / py.total_s), "rows/s");
figure("peak RSS (python)", py.peak_rss_mb, "MB");
const path = savePythonFigures(ROWS === 1_000_000 ? "drift" : `drift-${ROWS}`, {
  ...py,
  log: log.path,
  reference: reference.path,
  wall_s: py.total_s,
  process_s: processSeconds,
  python: "/usr/bin/python3",
});
console.log(`figures written to ${path}`);
