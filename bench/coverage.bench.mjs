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
// Both sides of the large-group switch are measured: a metric whose counts reach their minimum
// (GAUSSIAN_MIN_CLASS_COUNT, 2,000 positives and negatives, for AUC, AP, log loss, Brier and ECE;
// GAUSSIAN_MIN_COUNT, 1,000, of what the other metrics average over) takes Gaussian intervals
// from the influence functions, smaller ones the exact per-row bootstrap. Here (prevalence 0.3,
// about 20% predicted positive) n ≤ 2,000 is bootstrapped and n ≥ 8,000 Gaussian (the "route" row
// says which each size took); in the false-alarm runs 6,000 rows give a Gaussian overall beside
// three bootstrapped regions (the mixed max-T), 30,000 rows Gaussian everywhere.
//
// 3. The per-metric switch: at threshold 0.7 about 8% of rows are predicted positive, so at
//    COVERAGE_MIXED_SIZES (4,000 and 8,000 rows) positives and negatives reach 1,000 while predicted
//    positives do not — accuracy, recall, fpr and selection rate take Gaussian intervals, precision
//    and F1 the bootstrap, in one group; AUC, AP, log loss, Brier and ECE are bootstrapped at 4,000
//    (≈ 1,200 positives) and Gaussian at 8,000 (≈ 2,400, over GAUSSIAN_MIN_CLASS_COUNT). Coverage per metric (and its route), and false
//    alarms at COVERAGE_MIXED_ALARM_SIZES (30,000: overall all Gaussian, each region mixed), where
//    one report's family holds Gaussian blocks and bootstrapped changes of the same groups.
//
// 4. The metrics of issue 15 — the cost metric `value`, fpr and selection rate at the threshold,
//    recall_at_precision, precision_at_k, fpr_at_tpr, f1_max, demographic-parity and
//    equalized-odds gaps, a `counts` and a `rows` custom metric — on regions of different
//    prevalence, at COVERAGE_OPERATING_SIZES (200, 1,000 and 8,000 rows): coverage per metric with
//    its route, and per-change false regressions with identical models (see `operatingSection`).
//
// 5. Fairness rules when the groups are truly equal: the section-1 data, whose 3 regions are drawn
//    independently of label and score, so every true gap is exactly 0. At COVERAGE_TIE_SIZES (1,000
//    and 8,000 rows) and each limit of COVERAGE_TIE_LIMITS (0.01, 0.02, 0.05), the share of data sets where
//    the gate's own check (`fairnessRuleCheck`) of `{ fairness: <criterion>, across: region,
//    max-gap: <limit>, confidence: 0.95 }` fails — one rule in the report, judged on the largest
//    95% simultaneous lower bound of a pairwise difference of group rates — with the mean point
//    gap, the mean low end of its percentile interval (max − min of noisy rates is biased upward,
//    so that low end, the decision before, failed fair models) and the mean bound; see `tieSection`
//    (bench/coverage-fairness.mjs).
// 6. Fairness power and the least favourable case: three regions of true rates COVERAGE_POWER_RATES
//    (0.3/0.3/0.4: true gap 0.10; 0.3/0.3/0.35: exactly the limit) at COVERAGE_POWER_SIZES (8,000),
//    both criteria as rules with `max-gap: COVERAGE_POWER_LIMIT` (0.05) and confidence 0.95: the
//    share the gate fails (power above the limit, at most 2.5% a rule on it); see `powerSection`.
//
// `node bench/coverage.bench.mjs` (after `npm run build`); COVERAGE_RUNS=<n> (default 400) and
// COVERAGE_REPLICATES=<n> (default 1000, the manifest default) trade time for precision;
// COVERAGE_SEED=<k> (default 0, the data sets every figure in bench/README.md before it was added)
// draws another, independent set of data sets of every section (the population values stay);
// COVERAGE_OPERATING_METRICS=<names> runs section 4 on some of its metrics only (see below);
// COVERAGE_TIE_SIZES / COVERAGE_TIE_LIMITS set section 5, COVERAGE_POWER_SIZES / COVERAGE_POWER_RATES
// (cases like 0.3/0.3/0.4, comma-separated) / COVERAGE_POWER_LIMIT section 6 (empty: skipped);
// COVERAGE_ORACLE=<k> (default 0, off) adds to sections 1 and 3 the coverage of an oracle interval,
// estimate ± 1.96 × the estimator's true standard deviation measured on k other data sets of the
// size (no replicates): what it misses is the data sets' luck, what the real interval misses beyond
// it is the method's.

import {
  createRng,
  customMetricsOf,
  evaluate,
  GAUSSIAN_MIN_CLASS_COUNT,
  GAUSSIAN_MIN_COUNT,
  INFLUENCE_METRICS,
  METRICS,
  rowIdHash,
} from "@gauntlet/core";
import { powerSection, tieSection } from "./coverage-fairness.mjs";
import { figure } from "./support.mjs";

const RUNS = Number(process.env.COVERAGE_RUNS ?? 400);
const REPLICATES = Number(process.env.COVERAGE_REPLICATES ?? 1000);
const SIZES = (process.env.COVERAGE_SIZES ?? "50,100,200,500,1000,2000,8000,20000")
  .split(",")
  .filter(Boolean)
  .map(Number);
const ALARM_SIZES = (process.env.COVERAGE_ALARM_SIZES ?? "150,300,900,6000,30000")
  .split(",")
  .filter(Boolean)
  .map(Number);
const MIXED_SIZES = (process.env.COVERAGE_MIXED_SIZES ?? "4000,8000").split(",").filter(Boolean).map(Number);
const MIXED_ALARM_SIZES = (process.env.COVERAGE_MIXED_ALARM_SIZES ?? "30000")
  .split(",")
  .filter(Boolean)
  .map(Number);
const TIE_SIZES = (process.env.COVERAGE_TIE_SIZES ?? "1000,8000").split(",").filter(Boolean).map(Number);
const TIE_LIMITS = (process.env.COVERAGE_TIE_LIMITS ?? "0.01,0.02,0.05")
  .split(",")
  .filter(Boolean)
  .map(Number);
const POWER_SIZES = (process.env.COVERAGE_POWER_SIZES ?? "8000").split(",").filter(Boolean).map(Number);
const POWER_RATES = (process.env.COVERAGE_POWER_RATES ?? "0.3/0.3/0.4,0.3/0.3/0.35")
  .split(",")
  .filter(Boolean)
  .map((c) => c.split("/").map(Number));
const POWER_LIMIT = Number(process.env.COVERAGE_POWER_LIMIT ?? 0.05);
const OPERATING_SIZES = (process.env.COVERAGE_OPERATING_SIZES ?? "200,1000,8000")
  .split(",")
  .filter(Boolean)
  .map(Number);
const SEED = Number(process.env.COVERAGE_SEED ?? 0);
const ORACLE = Number(process.env.COVERAGE_ORACLE ?? 0);
/** A data set's seed: `base` for seed set 0, an unrelated stream of the same index for set k. */
const dataSeed = (base) => (SEED === 0 ? base : `set ${SEED}:${base}`);
const MIXED_THRESHOLD = 0.7;
const SHIFT = 1.2;
const PREVALENCE = 0.3;
// The binary metrics that need no parameters (costs, targets): those with an influence function,
// so that large groups take the Gaussian route and both sides of the switch are measured.
const metrics = [...INFLUENCE_METRICS];

// Section 4: the metrics of issue 15 (operating point, costs, fairness, custom), with their settings.
const OPERATING_BENCH_METRICS = [
  "value",
  "fpr",
  "selection_rate",
  "recall",
  "recall_at_precision",
  "precision_at_k",
  "fpr_at_tpr",
  "f1_max",
];
// COVERAGE_OPERATING_METRICS=<names> keeps only these of section 4's metrics and custom metrics (the
// fairness gaps need selection_rate, recall and fpr): e.g. "selection_rate,recall,fpr" for the gaps alone.
const OPERATING_ONLY = process.env.COVERAGE_OPERATING_METRICS?.split(",").filter(Boolean);
const OPERATING_SPEC = { costs: { tp: 120, fp: -15, fn: -120, tn: 0 }, minPrecision: 0.6, targetTpr: 0.8 };
const OPERATING_K_SHARE = 0.1;
const OPERATING_CUSTOM = customMetricsOf(
  {
    "custom-metrics": {
      threat_score: { from: "counts", expression: "tp / (tp + fp + fn)", direction: "higher" },
      abs_error: { from: "rows", expression: "abs(label - score)", direction: "lower" },
    },
  },
  "binary",
);
const OPERATING_FAIRNESS = [
  { across: "region", criterion: "demographic_parity" },
  { across: "region", criterion: "equalized_odds" },
];
const REGION_PREVALENCE = [0.2, 0.3, 0.45];

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

console.log(
  `# coverage of 95% intervals (${RUNS} data sets per size, ${REPLICATES} replicates, seed set ${SEED})\n`,
);
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
  const oracle = Object.fromEntries(metrics.map((m) => [m, sizes.map(() => ({ covered: 0, defined: 0 }))]));
  sizes.forEach((n, s) => {
    // The estimator's true standard deviation at this size, from ORACLE other data sets.
    const sd = {};
    if (ORACLE > 1) {
      const values = Array.from({ length: ORACLE }, (_, r) => {
        const e = evaluate({
          ...settings,
          ...draw(n, `oracle ${n}:${r}`),
          threshold,
          specs: [],
          bootstrap: 0,
        });
        return Object.fromEntries(metrics.map((m) => [m, e.overall.metrics[m]?.value ?? null]));
      });
      for (const m of metrics) {
        const v = values.map((x) => x[m]).filter((x) => x !== null);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        sd[m] = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
      }
    }
    for (let run = 0; run < RUNS; run++) {
      const d = draw(n, dataSeed(n * 100_003 + run));
      const e = evaluate({ ...settings, ...d, threshold, specs: [], seed: run });
      if (e.overall.intervals === "gaussian") gaussianRuns[s]++;
      for (const m of metrics) {
        const r = e.overall.metrics[m];
        if (ORACLE > 1 && r && r.value !== null) {
          oracle[m][s].defined++;
          if (Math.abs(r.value - truthAt[m]) <= 1.959964 * sd[m]) oracle[m][s].covered++;
        }
        if (!r?.ci) continue;
        coverage[m][s].defined++;
        const gaussian = e.overall.intervals === "gaussian" || r.intervals === "gaussian";
        if (gaussian) coverage[m][s].gaussian++;
        if (r.ci[0] <= truthAt[m] && truthAt[m] <= r.ci[1]) coverage[m][s].covered++;
      }
    }
  });
  console.log(
    `| route of the group (Gaussian: every metric's counts ≥ ${GAUSSIAN_MIN_COUNT}, ${GAUSSIAN_MIN_CLASS_COUNT} of each class for AUC, AP, log loss, Brier, ECE) | ${gaussianRuns.map((g) => (g === 0 ? "bootstrap or mixed" : g === RUNS ? "Gaussian" : `Gaussian in ${g} of ${RUNS}`)).join(" | ")} |`,
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
  if (ORACLE <= 1) return;
  console.log(
    `\noracle interval (estimate ± 1.96 × the true SD from ${ORACLE} other data sets) on the same data sets:\n\n${header}\n| --- | ${sizes.map(() => "---").join(" | ")} |`,
  );
  for (const m of metrics) {
    const cells = oracle[m].map(({ covered, defined }) => {
      if (defined === 0) return "—";
      const p = covered / defined;
      return `${pct(p)} ± ${pct(se(p, defined))}`;
    });
    console.log(`| ${m} | ${cells.join(" | ")} |`);
  }
}
if (SIZES.length > 0) coverageTable(SIZES, settings.threshold, truth);

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
      const d = draw(n, dataSeed(7_000_000 + n * 1_009 + run), 0.5);
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
if (ALARM_SIZES.length > 0) alarmTable(ALARM_SIZES, settings.threshold);

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
if (OPERATING_SIZES.length > 0) operatingSection(OPERATING_SIZES);
const fairnessContext = { runs: RUNS, replicates: REPLICATES, draw, dataSeed };
if (TIE_SIZES.length > 0 && TIE_LIMITS.length > 0) tieSection(TIE_SIZES, TIE_LIMITS, fairnessContext);
if (POWER_SIZES.length > 0 && POWER_RATES.length > 0)
  powerSection(POWER_SIZES, POWER_RATES, POWER_LIMIT, fairnessContext);
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

/**
 * 4. The operating-point, cost, fairness and custom metrics (issue 15 items 4–6), on data whose
 * regions differ (prevalence 0.2 / 0.3 / 0.45 in AE / SA / EG, each row's score its region's
 * calibrated posterior), so every fairness gap has a true value away from 0. Threshold 0.5,
 * costs { tp: 120, fp: -15, fn: -120, tn: 0 }, min-precision 0.6, target-tpr 0.8, k = 10% of the
 * rows (precision_at_k's truth is the precision of the top 10%, so k grows with n), a `counts`
 * custom metric tp / (tp + fp + fn) and a `rows` one abs(label − score). Truth: the same
 * evaluation (no intervals) on 8 blocks of 500,000 rows, averaged. Then the per-change false
 * regression rate of each metric's overall delta with two models of identical true performance
 * (one-sided, nominal 2.5%), and the share of reports with any simultaneous (`ciAdjusted`)
 * regression over overall + 3 regions where the metric has one.
 */
function operatingSection(sizes) {
  const kept = (name) => !OPERATING_ONLY || OPERATING_ONLY.includes(name);
  const benchMetrics = OPERATING_BENCH_METRICS.filter(kept);
  const custom = OPERATING_CUSTOM.filter((c) => kept(c.name));
  const names = [...benchMetrics, ...custom.map((c) => c.name)];
  const gaps = OPERATING_FAIRNESS.map((f) => f.criterion);
  const run = (d, n, seed, extra = {}) =>
    evaluate({
      task: "binary",
      ...d,
      threshold: 0.5,
      metrics: benchMetrics,
      operating: { ...OPERATING_SPEC, k: OPERATING_K_SHARE * n },
      custom,
      fairness: OPERATING_FAIRNESS,
      specs: ["region"],
      minSliceSize: 30,
      bootstrap: REPLICATES,
      seed,
      ...extra,
    });
  const read = (e) => ({
    // A metric says its route only in a mixed group; otherwise the group's route is every metric's.
    ...Object.fromEntries(
      names.map((m) => {
        const x = e.overall.metrics[m];
        return [m, x && { ...x, intervals: x.intervals ?? e.overall.intervals }];
      }),
    ),
    ...Object.fromEntries(gaps.map((c) => [`${c} gap`, e.fairness.find((f) => f.criterion === c)?.gap])),
  });
  const rows = [...names, ...gaps.map((c) => `${c} gap`)];
  // Population values from 8 blocks of 500,000 rows.
  const blocks = Array.from({ length: BLOCKS }, (_, b) =>
    read(run(drawRegional(500_000, 950_000 + b), 500_000, 0, { bootstrap: 0 })),
  );
  const truthOf = {};
  console.log(
    `\n# operating-point, cost, fairness and custom metrics: coverage of 95% intervals (${RUNS} data sets per size, ${REPLICATES} replicates)\n`,
  );
  console.log(
    "population values (regions with prevalence 0.2 / 0.3 / 0.45; ± Monte Carlo SE of the 4M-row value):",
  );
  for (const m of rows) {
    const values = blocks.map((b) => b[m].value);
    const mean = values.reduce((a, b) => a + b, 0) / BLOCKS;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (BLOCKS - 1));
    truthOf[m] = mean;
    console.log(`  ${m.padEnd(28)} ${mean.toFixed(4)} ± ${(sd / Math.sqrt(BLOCKS)).toExponential(1)}`);
  }
  const cells = Object.fromEntries(rows.map((m) => [m, []]));
  const alarms = Object.fromEntries(names.map((m) => [m, []]));
  const adjusted = [];
  const printTables = (done) => printOperatingTables(done, { rows, names, cells, alarms, adjusted, truthOf });
  for (const n of sizes) {
    const tally = Object.fromEntries(rows.map((m) => [m, { covered: 0, defined: 0, gaussian: 0 }]));
    const worse = Object.fromEntries(names.map((m) => [m, { worse: 0, defined: 0 }]));
    let anyAdjusted = 0;
    const started = performance.now();
    for (let r = 0; r < RUNS; r++) {
      const e = read(run(drawRegional(n, dataSeed(5_000_000 + n * 1_013 + r)), n, r));
      for (const m of rows) {
        const x = e[m];
        if (!x?.ci) continue;
        tally[m].defined++;
        if ((x.intervals ?? "bootstrap") === "gaussian") tally[m].gaussian++;
        if (x.ci[0] <= truthOf[m] && truthOf[m] <= x.ci[1]) tally[m].covered++;
      }
      // Identical models: the candidate and the baseline see the latent through the same noise law.
      const d = drawRegional(n, dataSeed(9_000_000 + n * 1_013 + r), 0.5);
      const paired = run(d, n, r, { baselineScores: d.other });
      const higher = (m) =>
        (METRICS[m]?.direction ?? OPERATING_CUSTOM.find((c) => c.name === m).direction) === "higher";
      const isWorse = (m, ci) => (higher(m) ? ci[1] < 0 : ci[0] > 0);
      for (const m of names) {
        const delta = paired.baseline.overall.delta[m];
        if (!delta?.ci) continue;
        worse[m].defined++;
        if (isWorse(m, delta.ci)) worse[m].worse++;
      }
      const groups = [paired.baseline.overall, ...paired.baseline.slices];
      if (
        groups.some((g) => Object.entries(g.delta).some(([m, x]) => x.ciAdjusted && isWorse(m, x.ciAdjusted)))
      )
        anyAdjusted++;
    }
    for (const m of rows) cells[m].push(tally[m]);
    for (const m of names) alarms[m].push(worse[m]);
    adjusted.push(anyAdjusted / RUNS);
    console.log(`  n = ${n}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The tables so far after every size (a long run shows its small sizes early).
    printTables(sizes.slice(0, cells[rows[0]].length));
  }
}

/** Section 4's tables: coverage per metric and size, then false regressions. */
function printOperatingTables(sizes, { rows, names, cells, alarms, adjusted, truthOf }) {
  const header = `| metric | truth | ${sizes.map((n) => `n = ${n}`).join(" | ")} |`;
  console.log(`\n${header}\n| --- | --- | ${sizes.map(() => "---").join(" | ")} |`);
  for (const m of rows) {
    const shown = cells[m].map(({ covered, defined, gaussian }) => {
      if (defined === 0) return "—";
      const p = covered / defined;
      const route =
        gaussian === 0 ? "bootstrap" : gaussian === defined ? "Gaussian" : `Gaussian ${gaussian}/${defined}`;
      return `${pct(p)} ± ${pct(se(p, defined))} (${route})${defined < RUNS ? ` (${defined} with an interval)` : ""}`;
    });
    console.log(`| ${m} | ${truthOf[m].toFixed(4)} | ${shown.join(" | ")} |`);
  }
  console.log(
    `\nfalse regressions, identical true performance: per-change overall delta (one-sided, nominal 2.5%), ${RUNS} pairs per size\n`,
  );
  console.log(
    `| metric | ${sizes.map((n) => `n = ${n}`).join(" | ")} |\n| --- | ${sizes.map(() => "---").join(" | ")} |`,
  );
  for (const m of names) {
    const shown = alarms[m].map(({ worse: w, defined }) => {
      if (defined === 0) return "—";
      const p = w / defined;
      return `${pct(p)} ± ${pct(se(p, defined))}`;
    });
    console.log(`| ${m} | ${shown.join(" | ")} |`);
  }
  console.log(
    `| any simultaneous regression (ciAdjusted; built-in metrics, overall + 3 regions) | ${adjusted.map((p) => `${pct(p)} ± ${pct(se(p, RUNS))}`).join(" | ")} |`,
  );
}

/** Binormal rows whose region sets the prevalence; the score is the region's calibrated posterior (see section 4). */
function drawRegional(n, seed, noise = 0) {
  const g = createRng(seed);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const other = new Float64Array(n);
  const region = [];
  const v = 1 + noise * noise;
  const posteriorAt = (z, prevalence) => {
    const logit = Math.log(prevalence / (1 - prevalence)) + (SHIFT * z) / v - (SHIFT * SHIFT) / (2 * v);
    return 1 / (1 + Math.exp(-logit));
  };
  for (let i = 0; i < n; i++) {
    const r = Math.floor(g.next() * 3);
    const prevalence = REGION_PREVALENCE[r];
    const y = g.next() < prevalence ? 1 : 0;
    const x = g.normal() + SHIFT * y;
    labels[i] = y;
    region.push(["AE", "SA", "EG"][r]);
    if (noise > 0) {
      scores[i] = posteriorAt(x + noise * g.normal(), prevalence);
      other[i] = posteriorAt(x + noise * g.normal(), prevalence);
    } else scores[i] = posteriorAt(x, prevalence);
  }
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`${seed}:${i}`));
  const sliceColumns = new Map([["region", { kind: "category", values: region, nulls: new Uint8Array(n) }]]);
  return { labels, scores, other, rowIds, sliceColumns };
}
