// Coverage and false alarms of evaluate-slices' intervals, by simulation with known truth. Runs the
// real evaluation (`evaluate` from @gauntlet/core: the route every task, single run and merge
// takes) on data drawn from a binormal model whose population metrics are known:
//
//   label ~ Bernoulli(0.3); latent x | label ~ N(1.2 · label, 1); score = P(label = 1 | x).
//
// The score is the true posterior, so the model is calibrated (population ECE = 0) and its ROC AUC
// is Φ(1.2 / √2) ≈ 0.802 exactly; every other metric's population value is computed from 4,000,000
// rows (its Monte Carlo error is printed; far below the intervals' widths).
//
// 1. Coverage: for each size n, RUNS data sets; the share of 95% intervals holding the truth, with
//    its standard error √(p(1 − p)/RUNS). Target: within [93%, 97%] at n ≥ 200.
// 2. False regressions: candidate and baseline of identical true performance (the same latent plus
//    independent noise of the same size, so the two are correlated like two versions of a model),
//    slices by a 3-valued column, every binary metric: the share of reports with any "significant
//    regression" — decided on the simultaneous intervals (`ciAdjusted`, sup-t), and for comparison on
//    the per-change intervals (`ci`). Target: ≤ 5% adjusted.
//
// Both sides of the large-group switch are measured: a group whose positives, negatives and
// predicted positives and negatives all reach GAUSSIAN_MIN_COUNT (1,000) takes Gaussian intervals
// from the influence functions, smaller ones the exact per-row bootstrap. Here (prevalence 0.3,
// about 20% predicted positive) n ≤ 2,000 is bootstrapped and n ≥ 8,000 Gaussian (the "route" row
// says which each size took); in the false-alarm runs 6,000 rows give a Gaussian overall beside
// three bootstrapped regions (the mixed max-T), 30,000 rows Gaussian everywhere.
//
// 3. The per-metric switch: at threshold 0.7 about 8% of rows are predicted positive, so at
//    COVERAGE_MIXED_SIZES (4,000 and 8,000 rows) positives and negatives reach 1,000 while predicted
//    positives do not — AUC, AP, log loss, Brier, ECE, accuracy and recall take Gaussian intervals,
//    precision and F1 the bootstrap, in one group. Coverage per metric (and its route), and false
//    alarms at COVERAGE_MIXED_ALARM_SIZES (30,000: overall all Gaussian, each region mixed), where
//    one report's family holds Gaussian blocks and bootstrapped changes of the same groups.
//
// `node bench/coverage.bench.mjs` (after `npm run build`); COVERAGE_RUNS=<n> (default 400) and
// COVERAGE_REPLICATES=<n> (default 1000, the manifest default) trade time for precision.

import {
  createRng,
  evaluate,
  GAUSSIAN_MIN_COUNT,
  INFLUENCE_METRICS,
  METRICS,
  rowIdHash,
} from "@gauntlet/core";
import { figure } from "./support.mjs";

const RUNS = Number(process.env.COVERAGE_RUNS ?? 400);
const REPLICATES = Number(process.env.COVERAGE_REPLICATES ?? 1000);
const SIZES = (process.env.COVERAGE_SIZES ?? "50,100,200,500,1000,2000,8000,20000").split(",").map(Number);
const ALARM_SIZES = (process.env.COVERAGE_ALARM_SIZES ?? "150,300,900,6000,30000")
  .split(",")
  .filter(Boolean)
  .map(Number);
const MIXED_SIZES = (process.env.COVERAGE_MIXED_SIZES ?? "4000,8000").split(",").filter(Boolean).map(Number);
const MIXED_ALARM_SIZES = (process.env.COVERAGE_MIXED_ALARM_SIZES ?? "30000")
  .split(",")
  .filter(Boolean)
  .map(Number);
const MIXED_THRESHOLD = 0.7;
const SHIFT = 1.2;
const PREVALENCE = 0.3;
// The binary metrics that need no parameters (costs, targets): those with an influence function,
// so that large groups take the Gaussian route and both sides of the switch are measured.
const metrics = [...INFLUENCE_METRICS];

/** P(label = 1 | x) of the binormal model: the calibrated score. */
function posterior(x) {
  const logit = Math.log(PREVALENCE / (1 - PREVALENCE)) + SHIFT * x - (SHIFT * SHIFT) / 2;
  return 1 / (1 + Math.exp(-logit));
}

/**
 * n rows: labels, the calibrated score, and (for the false-alarm runs) two noisy versions of it of
 * identical true performance.
 */
function draw(n, seed, noise = 0) {
  const g = createRng(seed);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const other = new Float64Array(n);
  const region = [];
  for (let i = 0; i < n; i++) {
    const y = g.next() < PREVALENCE ? 1 : 0;
    const x = g.normal() + SHIFT * y;
    labels[i] = y;
    if (noise > 0) {
      // Both models see x plus their own N(0, noise²): the same law, so the same true metrics.
      scores[i] = posteriorNoisy(x + noise * g.normal(), noise);
      other[i] = posteriorNoisy(x + noise * g.normal(), noise);
    } else {
      scores[i] = posterior(x);
    }
    region.push(["AE", "SA", "EG"][Math.floor(g.next() * 3)]);
  }
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`${seed}:${i}`));
  const sliceColumns = new Map([["region", { kind: "category", values: region, nulls: new Uint8Array(n) }]]);
  return { labels, scores, other, rowIds, sliceColumns };
}

/** The calibrated score of a latent observed with extra N(0, noise²): x + e is binormal with variance 1 + noise². */
function posteriorNoisy(z, noise) {
  const v = 1 + noise * noise;
  const logit = Math.log(PREVALENCE / (1 - PREVALENCE)) + (SHIFT * z) / v - (SHIFT * SHIFT) / (2 * v);
  return 1 / (1 + Math.exp(-logit));
}

const settings = { task: "binary", threshold: 0.5, minSliceSize: 30, bootstrap: REPLICATES, metrics };
const started = performance.now();

// Population values: 4M rows, no intervals; Monte Carlo standard error from 8 blocks of 500k.
const BLOCKS = 8;
function population(threshold) {
  const blockValues = Array.from({ length: BLOCKS }, (_, b) => {
    const d = draw(500_000, 900_000 + b);
    return evaluate({ ...settings, ...d, threshold, specs: [], bootstrap: 0 }).overall.metrics;
  });
  const truth = {};
  const truthSe = {};
  for (const m of metrics) {
    const values = blockValues.map((v) => v[m].value);
    const mean = values.reduce((a, b) => a + b, 0) / BLOCKS;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (BLOCKS - 1));
    truth[m] = m === "ece" ? 0 : mean;
    truthSe[m] = sd / Math.sqrt(BLOCKS);
  }
  truth.roc_auc = normalCdf(SHIFT / Math.SQRT2);
  return { truth, truthSe };
}
const { truth, truthSe } = population(settings.threshold);

console.log(`# coverage of 95% intervals (${RUNS} data sets per size, ${REPLICATES} replicates)\n`);
console.log("population values (binormal, shift 1.2, prevalence 0.3; ± Monte Carlo SE of the 4M-row value):");
for (const m of metrics) {
  const note =
    m === "roc_auc" ? " (exact: Φ(1.2/√2))" : m === "ece" ? " (exact: the score is calibrated)" : "";
  const se = m === "roc_auc" || m === "ece" ? "" : ` ± ${truthSe[m].toExponential(1)}`;
  console.log(`  ${m.padEnd(18)} ${truth[m].toFixed(4)}${se}${note}`);
}

const pct = (p) => `${(100 * p).toFixed(1)}%`;
const se = (p, runs) => Math.sqrt((p * (1 - p)) / runs);

/** Coverage per metric and size at `threshold` against `truthAt`, printed as a table with each metric's route. */
function coverageTable(sizes, threshold, truthAt) {
  const header = `| metric | ${sizes.map((n) => `n = ${n}`).join(" | ")} |`;
  console.log(`\n${header}\n| --- | ${sizes.map(() => "---").join(" | ")} |`);
  const coverage = Object.fromEntries(
    metrics.map((m) => [m, sizes.map(() => ({ covered: 0, defined: 0, gaussian: 0 }))]),
  );
  const gaussianRuns = sizes.map(() => 0);
  sizes.forEach((n, s) => {
    for (let run = 0; run < RUNS; run++) {
      const d = draw(n, n * 100_003 + run);
      const e = evaluate({ ...settings, ...d, threshold, specs: [], seed: run });
      if (e.overall.intervals === "gaussian") gaussianRuns[s]++;
      for (const m of metrics) {
        const r = e.overall.metrics[m];
        if (!r?.ci) continue;
        coverage[m][s].defined++;
        const gaussian = e.overall.intervals === "gaussian" || r.intervals === "gaussian";
        if (gaussian) coverage[m][s].gaussian++;
        if (r.ci[0] <= truthAt[m] && truthAt[m] <= r.ci[1]) coverage[m][s].covered++;
      }
    }
  });
  console.log(
    `| route of the group (Gaussian: every metric's counts ≥ ${GAUSSIAN_MIN_COUNT}) | ${gaussianRuns.map((g) => (g === 0 ? "bootstrap or mixed" : g === RUNS ? "Gaussian" : `Gaussian in ${g} of ${RUNS}`)).join(" | ")} |`,
  );
  for (const m of metrics) {
    const cells = coverage[m].map(({ covered, defined, gaussian }) => {
      if (defined === 0) return "—";
      const p = covered / defined;
      const route =
        gaussian === 0 ? "bootstrap" : gaussian === defined ? "Gaussian" : `Gaussian ${gaussian}/${defined}`;
      return `${pct(p)} ± ${pct(se(p, defined))} (${route})${defined < RUNS ? ` (${defined} with an interval)` : ""}`;
    });
    console.log(`| ${m} | ${cells.join(" | ")} |`);
  }
}
coverageTable(SIZES, settings.threshold, truth);

/** False alarms at `threshold`: identical models, overall + 3 regions, per size. */
function alarmTable(sizes, threshold) {
  console.log(
    `\n# false regressions at threshold ${threshold}: identical true performance, ${metrics.length} metrics × (overall + 3 regions), ${RUNS} reports per size\n`,
  );
  console.log(
    "| n | any regression, simultaneous (ciAdjusted) | any regression, per-change (ci) | mean critical value | groups with a Gaussian block (mean of 4) | groups mixed (mean of 4) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const n of sizes) {
    let adjusted = 0;
    let raw = 0;
    let critical = 0;
    let gaussian = 0;
    let mixed = 0;
    for (let run = 0; run < RUNS; run++) {
      const d = draw(n, 7_000_000 + n * 1_009 + run, 0.5);
      const e = evaluate({
        ...settings,
        ...d,
        threshold,
        baselineScores: d.other,
        specs: ["region"],
        seed: run,
      });
      const deltas = [e.baseline.overall.delta, ...e.baseline.slices.map((s) => s.delta)];
      const worse = (m, ci) => (METRICS[m].direction === "higher" ? ci[1] < 0 : ci[0] > 0);
      const any = (pick) =>
        deltas.some((delta) => Object.entries(delta).some(([m, r]) => pick(r) && worse(m, pick(r))));
      if (any((r) => r.ciAdjusted)) adjusted++;
      // Per-change intervals, as before this change (ECE included, as it was).
      if (any((r) => r.ci)) raw++;
      critical += e.baseline.adjustment.critical;
      gaussian += e.baseline.adjustment.gaussianGroups ?? 0;
      mixed += [e.baseline.overall, ...e.baseline.slices].filter((g) => g.intervals === "mixed").length;
    }
    const a = adjusted / RUNS;
    const r = raw / RUNS;
    console.log(
      `| ${n} | ${pct(a)} ± ${pct(se(a, RUNS))} | ${pct(r)} ± ${pct(se(r, RUNS))} | ${(critical / RUNS).toFixed(2)} | ${(gaussian / RUNS).toFixed(2)} | ${(mixed / RUNS).toFixed(2)} |`,
    );
  }
}
alarmTable(ALARM_SIZES, settings.threshold);

if (MIXED_SIZES.length > 0 || MIXED_ALARM_SIZES.length > 0) {
  const mixedTruth = population(MIXED_THRESHOLD);
  console.log(
    `\n# per-metric routes: threshold ${MIXED_THRESHOLD} (few predicted positives), coverage of 95% intervals (${RUNS} data sets per size)\n`,
  );
  for (const m of ["precision", "recall", "f1", "accuracy"])
    console.log(
      `  ${m.padEnd(18)} ${mixedTruth.truth[m].toFixed(4)} ± ${mixedTruth.truthSe[m].toExponential(1)} (population at ${MIXED_THRESHOLD})`,
    );
  if (MIXED_SIZES.length > 0) coverageTable(MIXED_SIZES, MIXED_THRESHOLD, mixedTruth.truth);
  if (MIXED_ALARM_SIZES.length > 0) alarmTable(MIXED_ALARM_SIZES, MIXED_THRESHOLD);
}
console.log("");
figure("wall time", (performance.now() - started) / 1000, "s");

/** Φ(x) (Abramowitz–Stegun 26.2.17, error < 7.5e-8). */
function normalCdf(x) {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const p =
    d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - p : p;
}
