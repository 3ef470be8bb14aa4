// Sections 5 and 6 of bench/coverage.bench.mjs: the gate's fairness rules with `confidence`,
// judged by its own check (`fairnessRuleCheck`) on the real evaluation. See coverage.bench.mjs for
// how to run them (COVERAGE_TIE_SIZES / COVERAGE_TIE_LIMITS, COVERAGE_POWER_SIZES /
// COVERAGE_POWER_RATES / COVERAGE_POWER_LIMIT).

import { createRng, evaluate, fairnessRuleCheck, rowIdHash } from "@gauntlet/core";

const pct = (p) => `${(100 * p).toFixed(1)}%`;
const se = (p, runs) => Math.sqrt((p * (1 - p)) / runs);
const mean = (sum, d) => (d === 0 ? "—" : (sum / d).toFixed(4));

/** One evaluation of a data set's decision rates across region, with the fairness `requests`. */
function evaluateRegions(data, requests, replicates, seed) {
  return evaluate({
    task: "binary",
    ...data,
    threshold: 0.5,
    metrics: ["selection_rate", "recall", "fpr"],
    fairness: requests,
    specs: ["region"],
    minSliceSize: 30,
    bootstrap: replicates,
    confidence: 0.95,
    seed,
  });
}

/**
 * 5. Fairness rules with confidence when the groups are truly equal (true gap 0): how often the
 * gate fails a fair model. Each data set is one evaluation (selection_rate, recall, fpr; threshold
 * 0.5; demographic parity and equalized odds across region, recorded without `confidence`, so each
 * decision is at the report's 95%, as a report's only rule with `confidence: 0.95`), then the
 * gate's `fairnessRuleCheck` per criterion and limit. The rule fails when the largest simultaneous
 * lower bound of a pairwise difference |p_g − p_h| (`fairness[].decision`, max-T over the pairs and
 * rates at the rule's limit; see `pairwiseDecision`) is above the limit; max − min of noisy group
 * rates, and its percentile interval, are above 0 in every data set (the low end is shown, as the
 * decision before issue 14), so a decision on that interval's low end failed fair models at small
 * limits. `draw(n, seed)` gives the section-1 data (regions independent of label and score).
 */
export function tieSection(sizes, limits, { runs, replicates, draw, dataSeed }) {
  const criteria = ["demographic_parity", "equalized_odds"];
  console.log(
    `\n# fairness rules with confidence 0.95, truly equal groups (true gap 0): share of ${runs} data sets the gate fails\n`,
  );
  console.log(
    `| criterion | n | mean gap | mean interval low end | interval holds 0 | mean pairwise bound | ${limits.map((l) => `fails at max-gap ${l}`).join(" | ")} | route |`,
  );
  console.log(`| --- | --- | --- | --- | --- | --- | ${limits.map(() => "---").join(" | ")} | --- |`);
  for (const n of sizes) {
    const stats = Object.fromEntries(
      criteria.map((c) => [
        c,
        { gap: 0, low: 0, bound: 0, holds: 0, defined: 0, gaussian: 0, fails: limits.map(() => 0) },
      ]),
    );
    const started = performance.now();
    for (let r = 0; r < runs; r++) {
      const e = evaluateRegions(
        draw(n, dataSeed(7_000_000 + n * 1_013 + r)),
        criteria.map((criterion) => ({ across: "region", criterion })),
        replicates,
        r,
      );
      for (const c of criteria) {
        const recorded = e.fairness.find((f) => f.criterion === c);
        const gap = recorded?.gap;
        if (!gap?.ci) continue;
        const s = stats[c];
        s.defined++;
        s.bound += Math.max(0, recorded.decision?.bound ?? Number.NaN);
        s.gap += gap.value;
        s.low += gap.ci[0];
        if (gap.ci[0] <= 0) s.holds++;
        if (gap.intervals === "gaussian") s.gaussian++;
        limits.forEach((limit, li) => {
          const check = fairnessRuleCheck(
            { fairness: c, across: "region", "max-gap": limit, confidence: 0.95 },
            0,
            e,
          );
          if (check.status === "fail") s.fails[li]++;
        });
      }
    }
    for (const c of criteria) {
      const s = stats[c];
      const d = s.defined;
      const route = s.gaussian === 0 ? "bootstrap" : `Gaussian ${s.gaussian}/${d}`;
      console.log(
        `| ${c} | ${n} | ${mean(s.gap, d)} | ${mean(s.low, d)} | ${pct(s.holds / d)} | ${mean(s.bound, d)} | ${s.fails.map((f) => `${pct(f / d)} ± ${pct(se(f / d, d))}`).join(" | ")} | ${route}${d < runs ? ` (${d} with an interval)` : ""} |`,
      );
    }
    console.log(`  n = ${n}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/**
 * n rows in three regions whose prediction is independent of the label: region g predicts positive
 * with probability rates[g], so its selection rate, recall and false-positive rate are all
 * rates[g] in truth (prevalence 0.4), and every criterion's true gap is max − min of `rates`.
 */
function drawRates(n, rates, seed) {
  const g = createRng(seed);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const region = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(g.next() * rates.length);
    labels[i] = g.next() < 0.4 ? 1 : 0;
    scores[i] = g.next() < rates[r] ? 0.9 : 0.1;
    region.push(["AE", "SA", "EG"][r]);
  }
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`${seed}:${i}`));
  const sliceColumns = new Map([["region", { kind: "category", values: region, nulls: new Uint8Array(n) }]]);
  return { labels, scores, rowIds, sliceColumns };
}

/**
 * 6. Power and the least favourable case of a max-gap rule with confidence: three regions whose
 * true rates are `rates` (each case of COVERAGE_POWER_RATES, e.g. 0.3/0.3/0.4: a true gap of 0.10),
 * both criteria as rules `{ max-gap: <limit>, confidence: 0.95 }` (two rules with confidence in the
 * report, so each is judged at 97.5%), `limit` COVERAGE_POWER_LIMIT (0.05). A true gap above the
 * limit should fail (power); a true gap equal to it (0.3/0.3/0.35 at 0.05, where two pairs sit on
 * the limit: the null's least favourable point) should fail in at most 5% of data sets, each rule
 * in at most 2.5%. Prints the share failing ± its standard error, the mean critical value of the
 * decision (`decision.critical`; Bonferroni's before max-T) and the mean bound.
 */
export function powerSection(sizes, cases, limit, { runs, replicates, dataSeed }) {
  const criteria = ["demographic_parity", "equalized_odds"];
  console.log(
    `\n# fairness rules with confidence 0.95 at max-gap ${limit}, two rules in the report: share of ${runs} data sets the gate fails\n`,
  );
  console.log("| true rates | true gap | n | criterion | fails | mean critical value | mean bound |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const rates of cases) {
    for (const n of sizes) {
      const stats = Object.fromEntries(
        criteria.map((c) => [c, { fails: 0, defined: 0, critical: 0, criticals: 0, bound: 0 }]),
      );
      const started = performance.now();
      for (let r = 0; r < runs; r++) {
        const e = evaluateRegions(
          drawRates(n, rates, dataSeed(`power ${rates.join("/")} ${n} ${r}`)),
          criteria.map((criterion) => ({ across: "region", criterion, confidence: 0.95, maxGap: limit })),
          replicates,
          r,
        );
        for (const c of criteria) {
          const recorded = e.fairness.find((f) => f.criterion === c);
          if (!recorded?.decision) continue;
          const s = stats[c];
          s.defined++;
          s.bound += recorded.decision.bound;
          if (recorded.decision.critical !== undefined) {
            s.critical += recorded.decision.critical;
            s.criticals++;
          }
          const check = fairnessRuleCheck(
            { fairness: c, across: "region", "max-gap": limit, confidence: 0.95 },
            0,
            e,
          );
          if (check.status === "fail") s.fails++;
        }
      }
      for (const c of criteria) {
        const s = stats[c];
        const d = s.defined;
        const p = s.fails / d;
        console.log(
          `| ${rates.join(", ")} | ${(Math.max(...rates) - Math.min(...rates)).toFixed(2)} | ${n} | ${c} | ${pct(p)} ± ${pct(se(p, d))}${d < runs ? ` (${d} decided)` : ""} | ${mean(s.critical, s.criticals)} | ${mean(s.bound, d)} |`,
        );
      }
      console.log(`  ${rates.join("/")}, n = ${n}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
}
