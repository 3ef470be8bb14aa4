// evaluate-slices sharded 4 ways + merge against one single run, on the same 1,000,000-row churn
// CSV (10,000,000 with BENCH_ROWS=10000000), manifest and models as bench/evaluate.bench.mjs: 20
// feature columns, 10 slice columns (47 slices + overall), nine metrics, 1,000 paired bootstrap
// replicates, candidate and baseline of 100 depth-3 trees each, rows sharded by data.key.
//
// Every run is its own Node process, as the jobs of an Actions matrix are, so each peak RSS is that
// run's own: first the single run (evaluateModel + writeResult, what `gauntlet evaluate` does),
// then shard 1..n one after another (evaluateShard + writePart, `gauntlet evaluate --shard i/n`),
// then the merge (mergeEvaluation + writeResult, `gauntlet merge --kind evaluation`). The shards
// run one at a time so they do not compete for this machine's cores; a matrix runs them at once
// on separate runners, so its critical path is the slowest shard plus the merge.
//
// Prints each run's phases, wall time (in-process: manifest loaded → files written; and the whole
// process, with Node start and module loading), rows/s and peak RSS; the matrix's critical path
// against the single run; the sum of the shard times (the compute the matrix pays for); the part
// files' size; and the merged `evaluation.json` checked against the single run's (bounds from
// actions/evaluate-slices/README.md, "Sharding"): every count, key and flag and the threshold
// metrics identical; every other value (ROC AUC and average precision included: the parts carry the
// shard's rows and the merge evaluates them as the single run does) and every interval endpoint
// exact up to the last bit of the float32 scores (a shard scores other batches, which onnxruntime
// may round differently), so their largest difference is printed.
//
// BENCH_SHARDS=<n> shards n ways instead of 4. Outputs: bench/out/evaluate-sharded/.

import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  evaluateModel,
  evaluateShard,
  loadManifest,
  mergeEvaluation,
  offlineBaselineResolver,
  writePart,
  writeResult,
} from "@gauntlet/steps";
import { churnCsv, figure, OUT, peakRssMb } from "./support.mjs";
import { evaluationManifest } from "./support-evaluate.mjs";
import { benchModels } from "./support-models.mjs";
import { inChild, loadAverage, machineLine, ratio } from "./support-report.mjs";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SHARDS = Number(process.env.BENCH_SHARDS ?? 4);
const DIR = join(OUT, "evaluate-sharded");
// In a folder named as the model, inside the workspace (bench/out, which holds the data and models).
const MANIFEST = join(DIR, "churn", "model.yml");
const SINGLE_DIR = join(DIR, "single");
const SHARDED_DIR = join(DIR, "sharded");
const MODEL = "churn";

/** The manifest of bench/evaluate.bench.mjs. */
function manifestText(data, candidate, baseline) {
  return evaluationManifest(data, candidate, baseline, { name: MODEL });
}

// ---- child roles: `node evaluate-sharded.bench.mjs single | shard <i>/<n> | merge` -------------

/** One run in this process; prints its figures as the last stdout line, `RESULT {json}`. */
async function runRole(role, arg) {
  const options = { cwd: OUT, resolveBaseline: offlineBaselineResolver };
  const started = performance.now();
  const loaded = await loadManifest(MANIFEST, OUT);
  let out;
  if (role === "single") {
    const { result, markdown } = await evaluateModel(loaded, options);
    const computed = performance.now();
    await writeResult(SINGLE_DIR, MODEL, "evaluation", result, markdown);
    out = { rows: result.rows, timings: result.timings, writeMs: performance.now() - computed };
  } else if (role === "shard") {
    const [index, count] = arg.split("/").map(Number);
    const shard = { index, count };
    const part = await evaluateShard(loaded, options, shard);
    const computed = performance.now();
    const file = await writePart(SHARDED_DIR, MODEL, "evaluation", shard, part);
    out = {
      rows: part.data.rows,
      read: part.data.read,
      timings: part.timings,
      writeMs: performance.now() - computed,
      partBytes: statSync(file).size,
    };
  } else {
    const { result, markdown } = await mergeEvaluation(loaded, SHARDED_DIR);
    const computed = performance.now();
    await writeResult(SHARDED_DIR, MODEL, "evaluation", result, markdown);
    out = { rows: result.rows, timings: result.timings, writeMs: performance.now() - computed };
  }
  const wallMs = performance.now() - started;
  console.log(`RESULT ${JSON.stringify({ ...out, wallMs, peakRssMb: peakRssMb() })}`);
}

/** Runs one role in a child process and returns its figures plus the process's own wall time. */
function child(...args) {
  const started = performance.now();
  const stdout = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const processMs = performance.now() - started;
  const line = stdout
    .trim()
    .split("\n")
    .findLast((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`${args.join(" ")}: no RESULT line in\n${stdout}`);
  return { ...JSON.parse(line.slice("RESULT ".length)), processMs };
}

// ---- merged vs single evaluation.json ---------------------------------------------------------

/** Metrics of thresholded scores only: counts, so identical unless a score crosses the threshold. */
const THRESHOLD_METRICS = new Set(["accuracy", "precision", "recall", "f1"]);

/**
 * Walks the single and merged results side by side. Returns the structural/count mismatches, the
 * largest difference of the threshold metrics' values, of the other values documented as exact (log
 * loss, Brier, ECE: sums over the float32 scores), of interval endpoints, and of ROC AUC / AP values
 * included (exact: the merge evaluates the shards' rows).
 */
function compareResults(single, merged) {
  const check = {
    mismatches: [],
    countsCompared: 0,
    thresholdValues: { n: 0, maxDiff: 0, at: "" },
    scoreValues: { n: 0, maxDiff: 0, at: "" },
    intervals: { n: 0, maxDiff: 0, at: "" },
  };
  const note = (slot, diff, path) => {
    slot.n++;
    if (diff > slot.maxDiff || (diff === slot.maxDiff && !slot.at)) {
      slot.maxDiff = diff;
      slot.at = path;
    }
  };
  const isMetric = (o) => o && typeof o === "object" && !Array.isArray(o) && "value" in o && "ci" in o;
  const walk = (a, b, path) => {
    if (isMetric(a) && isMetric(b)) {
      const name = path.split(".").at(-1);
      if ((a.value === null) !== (b.value === null) || (a.ci === null) !== (b.ci === null)) {
        check.mismatches.push(`${path}: null in one result only`);
        return;
      }
      if (a.value !== null) {
        const diff = Math.abs(a.value - b.value);
        note(THRESHOLD_METRICS.has(name) ? check.thresholdValues : check.scoreValues, diff, path);
      }
      if (a.ci !== null) {
        a.ci.forEach((v, i) => {
          note(check.intervals, Math.abs(v - b.ci[i]), `${path}.ci[${i}]`);
        });
      }
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (key === "value" || key === "ci") continue;
        walk(a[key], b[key], `${path}.${key}`);
      }
      return;
    }
    if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
      if (Array.isArray(a) !== Array.isArray(b) || (Array.isArray(a) && a.length !== b.length)) {
        check.mismatches.push(`${path}: different shape`);
        return;
      }
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (path === "" && key === "timings") continue;
        walk(a[key], b[key], path ? `${path}.${key}` : key);
      }
      return;
    }
    check.countsCompared++;
    if (a !== b) check.mismatches.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };
  walk(single, merged, "");
  return check;
}

// ---- the bench --------------------------------------------------------------------------------

async function main() {
  inChild("./support.mjs", ["churnCsv"], `churnCsv(${ROWS})`);
  inChild("./support-models.mjs", ["benchModels"], "benchModels()");
  const data = churnCsv(ROWS);
  const { candidate, baseline } = benchModels();
  mkdirSync(join(DIR, "churn"), { recursive: true });
  writeFileSync(MANIFEST, manifestText(data, candidate, baseline));
  // Parts of an earlier run (another shard count) would make the merge refuse the set.
  rmSync(SHARDED_DIR, { recursive: true, force: true });
  rmSync(SINGLE_DIR, { recursive: true, force: true });

  const loadBefore = loadAverage();
  const s = (ms) => ms / 1000;
  const single = child("single");
  const loadAfterSingle = loadAverage();
  const shards = Array.from({ length: SHARDS }, (_, i) => child("shard", `${i + 1}/${SHARDS}`));
  const loadAfterShards = loadAverage();
  const merge = child("merge");

  figure("rows", single.rows);
  figure("file size", data.bytes / 1e6, "MB");
  figure("shards", `${SHARDS}, by the hash of data.key (customer_id), each run in its own process`);
  figure("bootstrap replicates", 1000);

  console.log("\nsingle run (evaluateModel + writeResult)");
  const st = single.timings;
  figure("  read (incl. schema check)", s(st.readMs), "s");
  figure("  score (2 models)", s(st.scoreMs), "s");
  figure("  metrics + bootstrap", s(st.metricsMs), "s");
  figure("  render / write", `${st.renderMs.toFixed(1)} ms / ${single.writeMs.toFixed(1)} ms`);
  figure(
    "  other (manifest, sessions, …)",
    s(single.wallMs - st.readMs - st.scoreMs - st.metricsMs - st.renderMs - single.writeMs),
    "s",
  );
  figure("  wall time (in process)", s(single.wallMs), "s");
  figure("  process wall time", s(single.processMs), "s");
  figure("  throughput", Math.round(single.rows / s(single.wallMs)), "rows/s");
  figure("  peak RSS", single.peakRssMb, "MB");

  console.log("\nshard runs (evaluateShard + writePart), one after another");
  for (const [i, r] of shards.entries()) {
    const state = r.wallMs - r.timings.readMs - r.timings.scoreMs - r.writeMs;
    figure(
      `  shard ${i + 1}/${SHARDS}`,
      `${r.rows.toLocaleString("en-US")} of ${r.read.toLocaleString("en-US")} rows; read ${s(r.timings.readMs).toFixed(2)} s, score ${s(r.timings.scoreMs).toFixed(2)} s, state + other ${s(state).toFixed(2)} s, write ${r.writeMs.toFixed(1)} ms; wall ${s(r.wallMs).toFixed(2)} s (process ${s(r.processMs).toFixed(2)} s), ${Math.round(r.rows / s(r.wallMs)).toLocaleString("en-US")} rows/s, peak RSS ${Math.round(r.peakRssMb)} MB, part ${(r.partBytes / 1e3).toFixed(1)} kB`,
    );
  }
  const shardRows = shards.reduce((n, r) => n + r.rows, 0);
  figure(
    "  rows over all shards",
    `${shardRows.toLocaleString("en-US")} (single run: ${single.rows.toLocaleString("en-US")})`,
  );

  console.log("\nmerge (mergeEvaluation + writeResult)");
  const mt = merge.timings;
  const readParts = merge.wallMs - mt.metricsMs - mt.renderMs - merge.writeMs;
  figure("  read + check parts, manifest", s(readParts), "s");
  figure("  merge + metrics + bootstrap", s(mt.metricsMs), "s");
  figure("  render / write", `${mt.renderMs.toFixed(1)} ms / ${merge.writeMs.toFixed(1)} ms`);
  figure("  wall time (in process)", s(merge.wallMs), "s");
  figure("  process wall time", s(merge.processMs), "s");
  figure("  peak RSS", merge.peakRssMb, "MB");

  console.log("\nsharded vs single");
  const maxShard = Math.max(...shards.map((r) => r.wallMs));
  const maxShardProcess = Math.max(...shards.map((r) => r.processMs));
  const sumShards = shards.reduce((t, r) => t + r.wallMs, 0);
  const sumShardsProcess = shards.reduce((t, r) => t + r.processMs, 0);
  figure(
    "single wall time",
    `${s(single.wallMs).toFixed(2)} s (process ${s(single.processMs).toFixed(2)} s)`,
  );
  figure(
    "critical path: max shard + merge",
    `${s(maxShard).toFixed(2)} + ${s(merge.wallMs).toFixed(2)} = ${s(maxShard + merge.wallMs).toFixed(2)} s (process ${s(maxShardProcess).toFixed(2)} + ${s(merge.processMs).toFixed(2)} = ${s(maxShardProcess + merge.processMs).toFixed(2)} s)`,
  );
  ratio("critical path / single", s(maxShard + merge.wallMs), s(single.wallMs));
  ratio("  (process wall times)", s(maxShardProcess + merge.processMs), s(single.processMs));
  figure(
    "sum of shard times (total compute)",
    `${s(sumShards).toFixed(2)} s (process ${s(sumShardsProcess).toFixed(2)} s); + merge ${s(sumShards + merge.wallMs).toFixed(2)} s`,
  );
  ratio("(shards + merge) / single", s(sumShards + merge.wallMs), s(single.wallMs));
  figure(
    "peak RSS: max shard, merge, single",
    `${Math.round(Math.max(...shards.map((r) => r.peakRssMb)))} / ${Math.round(merge.peakRssMb)} / ${Math.round(single.peakRssMb)} MB`,
  );
  const partFiles = readdirSync(join(SHARDED_DIR, MODEL)).filter((f) => f.includes(".part-"));
  const partBytes = partFiles.reduce((n, f) => n + statSync(join(SHARDED_DIR, MODEL, f)).size, 0);
  figure(
    "part files",
    `${partFiles.length}, ${(partBytes / 1e6).toFixed(2)} MB in all (${((partBytes / data.bytes) * 100).toFixed(3)}% of the CSV)`,
  );

  console.log("\nmerged evaluation.json vs single evaluation.json");
  const read = (dir) => JSON.parse(readFileSync(join(dir, MODEL, "evaluation.json"), "utf8"));
  const c = compareResults(read(SINGLE_DIR), read(SHARDED_DIR));
  figure(
    "counts, keys, flags, strings",
    c.mismatches.length === 0
      ? `${c.countsCompared} compared: identical`
      : `${c.mismatches.length} DIFFER: ${c.mismatches.slice(0, 5).join("; ")}`,
  );
  const exact = (slot) =>
    `${slot.n} compared, max |Δ| ${slot.maxDiff}${slot.maxDiff > 0 ? ` at ${slot.at}: not bit-identical` : ": identical"}`;
  figure("accuracy/precision/recall/f1 (exact)", exact(c.thresholdValues));
  figure("roc_auc/AP/log_loss/brier/ece values (exact*)", exact(c.scoreValues));
  figure("interval endpoints (exact*)", exact(c.intervals));
  console.log(
    "  * exact up to the last bit of the float32 scores, which onnxruntime may round differently for a\n" +
      "    row in another batch (actions/evaluate-slices/README.md): a shard scores other batches",
  );
  figure("outputs", DIR);
  figure(
    "load average before / after single / after shards",
    `${loadBefore} / ${loadAfterSingle} / ${loadAfterShards}`,
  );
  machineLine("load average after");
}

if (process.argv[2] === "single" || process.argv[2] === "shard" || process.argv[2] === "merge") {
  await runRole(process.argv[2], process.argv[3]);
} else {
  await main();
}
