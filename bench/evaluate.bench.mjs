// evaluate-slices on the 1,000,000-row churn CSV (10,000,000 with BENCH_ROWS=10000000): 20 feature
// columns, 10 slice columns (EVAL_SLICES: 47 slices + overall), nine metrics, 1,000 paired
// bootstrap replicates, a candidate and a baseline model of 100 depth-3 trees each (see
// support-models.mjs), exactly as `gauntlet evaluate` runs it: evaluateModel() then the result
// file and report written to disk. Prints the step's own per-phase timings (read, score,
// metrics, bootstrap, render), this process's clock for the rest, rows/s, peak RSS against its
// target, the ratio of everything-but-read-and-score to score (target < 1) and, when
// bench/python-evaluate.bench.mjs has run on the same rows, the ratio to the Python stack.
//
// On two or more cores the step shares a binary evaluation with a worker thread, whose work also
// slows the read and the scoring a little (the cores share caches, and a 2-vCPU VM may be one
// physical core). So the bench first runs the same evaluation in one thread (a child process,
// BENCH_ONE_THREAD) and prints, besides the ratio from the run's own phase timings, the ratio
// with the one-thread run's read and score: everything the two-thread run spends beyond what
// reading and scoring cost alone, against scoring alone.
//
// BENCH_REPLICATES=<n> runs n replicates instead of 1,000 and labels every figure with it; nothing
// is extrapolated (the bootstrap's cost is far from linear in the replicates: about 2.1 s at 20 and
// 3.3 s at 1,000 on 1M rows here), and the Python ratio is printed only for 1,000.

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateModel, loadManifest, offlineBaselineResolver, writeResult } from "@gauntlet/steps";
import { churnCsv, figure, OUT, peakRssMb } from "./support.mjs";
import { evaluationManifest } from "./support-evaluate.mjs";
import { benchModels } from "./support-models.mjs";
import { againstTarget, inChild, loadAverage, machineLine, pythonFigures, ratio } from "./support-report.mjs";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPLICATES = 1000;
const MEASURED = Number(process.env.BENCH_REPLICATES ?? REPLICATES);
const RSS_TARGET_MB = ROWS > 1_000_000 ? 2048 : 1536;
// Set in the child that runs the one-thread reference: the path its figures go to.
const ONE_THREAD = process.env.BENCH_ONE_THREAD;

// Generated (first run only) and fitted in child processes: not part of this process's peak RSS.
if (!ONE_THREAD) {
  inChild("./support.mjs", ["churnCsv"], `churnCsv(${ROWS})`);
  inChild("./support-models.mjs", ["benchModels"], "benchModels()");
}
const data = churnCsv(ROWS);
const { candidate, baseline } = benchModels();
const manifest = evaluationManifest(data, candidate, baseline, { replicates: MEASURED });
const dir = join(OUT, "evaluate");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "model.yml"), manifest);

let reference;
if (!ONE_THREAD) {
  const out = join(dir, "one-thread.json");
  execFileSync(process.execPath, [import.meta.filename], {
    env: { ...process.env, BENCH_ONE_THREAD: out },
    stdio: "inherit",
  });
  reference = JSON.parse(readFileSync(out, "utf8"));
}

const loadBefore = loadAverage();
const started = performance.now();
const loaded = await loadManifest(join(dir, "model.yml"), dir);
const { result, markdown, threads } = await evaluateModel(loaded, {
  cwd: dir,
  resolveBaseline: offlineBaselineResolver,
  ...(ONE_THREAD ? { openLane: () => undefined } : {}),
});
const evaluatedAt = performance.now();
await writeResult(
  join(dir, ONE_THREAD ? ".gauntlet-one-thread" : ".gauntlet"),
  "churn",
  "evaluation",
  result,
  markdown,
);
const finished = performance.now();
if (ONE_THREAD) {
  const { timings } = result;
  writeFileSync(ONE_THREAD, JSON.stringify({ ...timings, wallMs: finished - started, threads }));
  process.exit(0);
}

const t = result.timings;
const wallS = (finished - started) / 1000;
const writeS = (finished - evaluatedAt) / 1000;
// Manifest, SHA-256, ONNX sessions, label encoding, result assembly and GC: what the step's own
// timings do not attribute to a phase.
const otherS = (evaluatedAt - started) / 1000 - (t.readMs + t.scoreMs + t.metricsMs + t.renderMs) / 1000;
const at = MEASURED === REPLICATES ? "" : ` (at ${MEASURED} replicates, not ${REPLICATES})`;
const metricsS = t.metricsMs / 1000;
const slices = result.slices.length;
const suppressed = result.slices.filter((s) => s.suppressed).length;

figure("rows", result.rows);
figure("file size", data.bytes / 1e6, "MB");
figure("models", "candidate and baseline: 100 depth-3 trees on 16 inputs");
figure("slices", `${slices} + overall (${suppressed} suppressed)`);
figure("metrics", result.metrics.length);
figure("bootstrap replicates", MEASURED === REPLICATES ? REPLICATES : `${MEASURED} measured`);
figure("threads (metrics + bootstrap)", threads);
figure("read (incl. schema check)", t.readMs / 1000, "s");
figure("score (2 models)", t.scoreMs / 1000, "s");
figure(`metrics + bootstrap${at}`, metricsS, "s");
figure("  of which metrics", (t.metricsMs - t.bootstrapMs) / 1000, "s");
figure(`  of which bootstrap${at}`, t.bootstrapMs / 1000, "s");
figure("render (report Markdown)", t.renderMs, "ms");
figure("write result + report", writeS * 1000, "ms");
figure("other (outside step timings)", otherS, "s");
figure(`wall time${at}`, wallS, "s");
figure(`throughput${at}`, Math.round(result.rows / wallS), "rows/s");
figure("score throughput", Math.round(result.rows / (t.scoreMs / 1000)), "rows/s");
againstTarget("peak RSS", peakRssMb(), "MB", RSS_TARGET_MB);
ratio(
  `not (read + score) / score${at}`,
  wallS - (t.readMs + t.scoreMs) / 1000,
  t.scoreMs / 1000,
  "(target < 1)",
);
const oneRead = reference.readMs / 1000;
const oneScore = reference.scoreMs / 1000;
const oneWall = reference.wallMs / 1000;
figure(
  `one thread: read, score, metrics${at}`,
  `${oneRead.toFixed(2)} s, ${oneScore.toFixed(2)} s, ${(reference.metricsMs / 1000).toFixed(2)} s (bootstrap ${(reference.bootstrapMs / 1000).toFixed(2)} s; wall ${oneWall.toFixed(2)} s)`,
);
ratio(`wall time, one thread / ${threads}${at}`, oneWall, wallS);
ratio(`same, against one-thread read + score${at}`, wallS - oneRead - oneScore, oneScore, "(target < 1)");
const roc = result.overall.metrics.roc_auc;
const delta = result.baseline?.overall.delta?.roc_auc;
figure(
  "overall roc_auc (candidate)",
  `${roc?.value?.toFixed(4)} [${roc?.ci?.map((v) => v.toFixed(4)).join(", ")}]`,
);
if (delta)
  figure(
    "roc_auc delta vs baseline",
    `${delta.value?.toFixed(4)} [${delta.ci?.map((v) => v.toFixed(4)).join(", ")}]`,
  );

const py = pythonFigures("evaluate");
if (py && py.rows === result.rows && !at) {
  const pyNote = py.extrapolated_from ? ` (its bootstrap extrapolated from ${py.extrapolated_from})` : "";
  figure("python recorded", `${py.recorded} (${py.path})`);
  ratio("python / gauntlet wall time", py.wall_s, wallS, pyNote);
  ratio("python / gauntlet read", py.read_s, t.readMs / 1000);
  ratio("python / gauntlet score", py.score_s, t.scoreMs / 1000);
  ratio(`python / gauntlet metrics+bootstrap`, py.metrics_s + py.bootstrap_s, metricsS, pyNote);
  ratio("python / gauntlet peak RSS", py.peak_rss_mb, peakRssMb());
} else {
  figure(
    "python ratio",
    !py
      ? "run `node bench/run.mjs python-evaluate`"
      : at
        ? `skipped${at}`
        : `skipped: python ran on ${py.rows} rows`,
  );
}
figure("load average before", loadBefore);
machineLine("load average after");
