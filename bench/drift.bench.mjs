// drift-check on a JSONL prediction log of 1,000,000 rows (10,000,000 with BENCH_ROWS=10000000):
// nested `inputs` with nine features (five numeric, four categorical), score and late outcomes,
// 2% of rows from another model version, 7 daily windows — the same file the Python baseline
// (bench/python-drift.bench.mjs) reads. The reference is what promote attaches to a release:
// profile.json and reference-sample.parquet, built from the 100,000-row reference CSV (all of it
// fits the sample) and timed apart. The drift check itself is drift-check's: load the release's
// reference (profile + exact sample), stream the log through the monitor, render the report and
// write drift.json; its statistics are exact. In the same run, its peer: the DuckDB script
// bench/duckdb-drift.mjs (exact per-window KS, Wasserstein and category counts, in its own
// process) on the same files; the ratio of wall times is printed, and the two sides' whole-period
// Wasserstein scores are compared. Prints rows/s, peak RSS against its target and, when the
// Python bench has run on the same log, the ratio to it.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildReferenceProfile,
  loadManifest,
  parseProfile,
  releaseReference,
  runDriftCheck,
  scanLogsAhead,
  writeResult,
} from "@gauntlet/steps";
import { predictionLogJsonl, referenceCsv } from "./python/inputs.mjs";
import { figure, OUT, peakRssMb } from "./support.mjs";
import { againstTarget, inChild, loadAverage, machineLine, pythonFigures, ratio } from "./support-report.mjs";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RSS_TARGET_MB = ROWS > 1_000_000 ? 1024 : 512;
/** drift-check's wall time may be at most this multiple of the DuckDB script's (issue 22). */
const PEER_TARGET = 1.2;

// Generated (first run only) in child processes: not part of this process's peak RSS.
inChild(
  "./python/inputs.mjs",
  ["predictionLogJsonl", "referenceCsv"],
  `predictionLogJsonl(${ROWS}); referenceCsv()`,
);
const log = predictionLogJsonl(ROWS);
const reference = referenceCsv();
const category = (name, values) => `    ${name}: { type: category, values: [${values.join(", ")}] }`;
const manifest = `name: churn
version: 1.2.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: model.onnx
  sha256: "${"0".repeat(64)}"
  inputs:
    numeric: [tenure_months, monthly_charges, support_calls, data_gb, age]
    region: region
    plan: plan
    payment_method: payment_method
    device_os: device_os
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
  key: customer_id
  columns:
${category("region", ["AE", "SA", "EG", "JO", "MA", "KW", "QA"])}
${category("plan", ["prepaid_basic", "prepaid_plus", "postpaid"])}
${category("payment_method", ["cash", "card", "wallet", "direct_debit"])}
${category("device_os", ["android", "ios", "feature_phone"])}
evaluation:
  data: ${relative(OUT, reference.path)}
  label: churned
  threshold: 0.5
  metrics: [roc_auc]
monitoring:
  predictions: ${relative(OUT, log.path)}
  reference: .reference/profile.json
  version-field: model_version
  features: inputs
  id: request_id
  timestamp: ts
  score: score
  outcome: churned
  window: 1d
`;
// The workspace is bench/out (paths must stay inside it); this bench's files are under drift/.
const cwd = OUT;
const dir = join(OUT, "drift");
// A model lives in <folder named after it>/model.yml.
const manifestPath = join(dir, "churn", "model.yml");
mkdirSync(dirname(manifestPath), { recursive: true });
writeFileSync(manifestPath, manifest);
const profilePath = join(dir, ".reference", "profile.json");
const samplePath = join("drift", ".reference", "reference-sample.parquet");

const profileStarted = performance.now();
await buildReferenceProfile((await loadManifest(manifestPath, cwd)).manifest, {
  cwd,
  path: profilePath,
  sample: { path: join(cwd, samplePath), maxRows: 100_000 },
});
const profileS = (performance.now() - profileStarted) / 1000;

const loadBefore = loadAverage();
const started = performance.now();
const cpuBefore = process.cpuUsage();
const loaded = await loadManifest(manifestPath, cwd);
if (!process.env.BENCH_NO_SCAN_AHEAD) scanLogsAhead(loaded, { cwd });
const profile = parseProfile(JSON.parse(readFileSync(profilePath, "utf8")), profilePath, "churn");
const loadedReference = await releaseReference(profile, "churn/v1.2.0", { cwd, sample: samplePath });
const { result, markdown } = await runDriftCheck(loaded, { cwd, reference: loadedReference });
await writeResult(join(dir, ".gauntlet"), "churn", "drift", result, markdown);
const wallS = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuS = (cpu.user + cpu.system) / 1e6;

figure("rows", result.rows.read);
figure("log size", log.bytes / 1e6, "MB");
figure(
  "monitored rows",
  `${result.rows.used} (${Object.values(result.rows.otherVersions).reduce((a, b) => a + b, 0)} of another version skipped)`,
);
figure("windows × columns", `${result.windows.length} × ${result.columns.length}`);
figure("verdict", result.verdict);
figure("reference profile (built apart)", `${profileS.toFixed(2)} s from ${reference.path}`);
figure("wall time (drift check)", wallS, "s");
figure("CPU time (drift check, every thread)", cpuS, "s");
figure("throughput", Math.round(result.rows.read / wallS), "rows/s");
figure("throughput", log.bytes / 1e6 / wallS, "MB/s");
againstTarget("peak RSS", peakRssMb(), "MB", RSS_TARGET_MB);

const py = pythonFigures(ROWS === 1_000_000 ? "drift" : `drift-${ROWS}`);
if (py && py.rows === result.rows.read) {
  figure("python recorded", `${py.recorded} (${py.path})`);
  ratio("python / gauntlet wall time", py.wall_s, wallS);
  ratio("python / gauntlet incl. profile build", py.wall_s, wallS + profileS);
  ratio("python / gauntlet peak RSS", py.peak_rss_mb, peakRssMb());
} else {
  figure(
    "python ratio",
    py
      ? `skipped: python ran on ${py.rows} rows`
      : `run \`${ROWS === 1_000_000 ? "" : `BENCH_ROWS=${ROWS} `}node bench/run.mjs python-drift\``,
  );
}
const gauntletRss = peakRssMb();

// The peer, in its own process so its peak RSS is its own.
const peer = JSON.parse(
  execFileSync(
    process.execPath,
    [join(dirname(fileURLToPath(import.meta.url)), "duckdb-drift.mjs"), log.path, reference.path],
    { encoding: "utf8" },
  ),
);
figure("duckdb script wall time", peer.wallS, "s");
figure("duckdb script peak RSS", peer.peakRssMb, "MB");
figure("duckdb script CPU time", peer.cpuS, "s");
const peerRatio = ratio("gauntlet / duckdb script wall time", wallS, peer.wallS);
// Under load the wall ratio moves with what else runs; the CPU ratio much less.
ratio("gauntlet / duckdb script CPU time", cpuS, peer.cpuS);
figure("target", `≤ ${PEER_TARGET}× (${peerRatio <= PEER_TARGET ? "met" : "NOT met"})`);
ratio("gauntlet / duckdb script peak RSS", gauntletRss, peer.peakRssMb);
const differences = Object.entries(peer.overall).map(([column, value]) =>
  Math.abs(result.columns.find((c) => c.column === column).score - value),
);
figure("largest |gauntlet − duckdb| whole-period Wasserstein", Math.max(...differences).toExponential(2));
figure(
  "statistics",
  result.columns.some((c) => c.details.approximate) ? "some sketched (see drift.json)" : "exact (no sketch)",
);
figure("load average before", loadBefore);
machineLine("load average after");
