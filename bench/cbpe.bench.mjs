// CBPE (the label-free performance estimate of drift-check) on over-confident scores, with known
// truth (`overConfidentCase` in fixtures): a model reports 2.5× the true log-odds (−1 + 1.5x), so
// its scores crowd 0 and 1; the reference (the evaluation rows promote profiles, labelled) has
// x ~ N(0, 1), the served rows have shifted inputs x ~ N(0.5, 1) and every outcome is logged, so
// the realised metric is the truth the estimate is held to. Each run is the real drift monitor
// (`createDriftMonitor` → drift.json) on a fresh seeded sample. Prints, per metric and scenario, how often the estimate's 95% interval holds
// the realised metric (coverage ± its standard error) and the mean error of the point estimate,
// next to the raw-score CBPE (what drift-check did before recalibrating) — and how often the
// calibration warning appears when the reference cannot establish a calibration.
// `BENCH_RUNS` sets the runs per scenario (default 200).
import { createDriftMonitor, createScoreTally } from "@gauntlet/core";
import { overConfidentCase } from "@gauntlet/fixtures";
import { figure } from "./support.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const METRICS = ["roc_auc", "accuracy", "precision", "recall"];

function driftRun(run, scenario) {
  const c = overConfidentCase(run, scenario);
  const monitor = createDriftMonitor(c.options);
  monitor.add(c.batch);
  return { result: monitor.finish(), served: c.served };
}

const share = (k, n) =>
  `${((100 * k) / n).toFixed(1)} ± ${((100 * Math.sqrt((k / n) * (1 - k / n))) / Math.sqrt(n)).toFixed(1)}`;

for (const scenario of [
  { referenceRows: 4000, servedRows: 4000 },
  { referenceRows: 10000, servedRows: 20000 },
]) {
  const started = performance.now();
  const tally = Object.fromEntries(
    METRICS.map((m) => [m, { covered: 0, error: 0, rawInside: 0, rawError: 0 }]),
  );
  let recalibrated = 0;
  for (let run = 0; run < RUNS; run++) {
    const { result, served } = driftRun(run, scenario);
    const p = result.performance;
    if (p.calibration.status === "recalibrated") recalibrated += 1;
    // The raw-score estimate of the same rows: what drift-check showed before recalibrating.
    const raw = rawEstimate(served.scores, 0.5);
    for (const m of METRICS) {
      const realised = p.realised[m];
      const estimate = p.estimated[m];
      const t = tally[m];
      if (estimate.ci && estimate.ci[0] <= realised.value && realised.value <= estimate.ci[1]) t.covered += 1;
      t.error += estimate.value - realised.value;
      if (realised.ci[0] <= raw[m] && raw[m] <= realised.ci[1]) t.rawInside += 1;
      t.rawError += raw[m] - realised.value;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\nreference ${scenario.referenceRows.toLocaleString("en-US")} labelled rows, ${scenario.servedRows.toLocaleString("en-US")} served rows, ${RUNS} runs (${recalibrated} recalibrated), ${seconds.toFixed(1)} s`,
  );
  for (const m of METRICS) {
    const t = tally[m];
    figure(
      `  ${m}`,
      `interval covers realised ${share(t.covered, RUNS)}%, mean error ${(t.error / RUNS).toFixed(4)}; raw CBPE inside realised CI ${share(t.rawInside, RUNS)}%, mean error ${(t.rawError / RUNS).toFixed(4)}`,
    );
  }
}

// References that cannot establish a calibration: the warning must appear every time.
for (const [name, scenario] of [
  ["reference without labelled scores", { referenceRows: 4000, servedRows: 4000, withLabelledScores: false }],
  ["reference of 120 labelled rows", { referenceRows: 120, servedRows: 4000 }],
]) {
  const runs = Math.min(RUNS, 100);
  let warned = 0;
  for (let run = 0; run < runs; run++) {
    const { result } = driftRun(run, scenario);
    const check = result.checks.find((c) => c.id === "calibration");
    if (check?.status === "warn" && result.performance.calibration.status === "not established") warned += 1;
  }
  figure(`  ${name}`, `calibration warning in ${warned} of ${runs} runs`);
}

/** CBPE on the raw scores, as if calibrated: the score tally's own estimates. */
function rawEstimate(scores, threshold) {
  const tally = createScoreTally({ threshold });
  for (const s of scores) tally.add(s, Number.NaN);
  return tally.finish().estimated;
}
