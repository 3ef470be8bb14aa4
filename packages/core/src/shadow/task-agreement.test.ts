import { describe, expect, it } from "vitest";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { createClassAgreement } from "./class-agreement.js";
import { compareOutcomes } from "./outcome-comparison.js";
import { createOutcomeSample } from "./outcome-sample.js";
import { renderShadowSection } from "./render-shadow-section.js";
import { createScoreDistributions } from "./score-distributions.js";
import { shadowChecks } from "./shadow-checks.js";
import { DEFAULT_SHADOW_LIMITS } from "./shadow-limits.js";
import type { ShadowResult } from "./shadow-result.js";
import { shadowResultFixture } from "./shadow-result.test-helper.js";
import { createValueAgreement } from "./value-agreement.js";

// Reference values computed once with scikit-learn 1.x / SciPy (confusion_matrix, accuracy_score,
// mean_absolute_error, mean_squared_error, norm.ppf(0.975)) and the Wilson formula; never at test time.
const TOL = 1e-9;
const CHAMPION = [0, 1, 2, 1, 0, 2, 2, 1, 0, 0];
const CANDIDATE = [0, 1, 1, 1, 0, 2, 0, 1, 0, 2];
const TRUTH = [0, 1, 2, 1, 1, 2, 0, 1, 0, 0];

describe("multiclass shadow comparison", () => {
  it("gives class agreement with its Wilson interval, the champion × candidate table, share shifts and the class-mix PSI", () => {
    const a = createClassAgreement(["basic", "plus", "pro"]);
    expect(CHAMPION.map((c, i) => a.add(c, CANDIDATE[i]!))).toEqual(
      CHAMPION.map((c, i) => c !== CANDIDATE[i]),
    );
    const { agreement, multiclass, distribution } = a.finish();
    expect(agreement).toEqual({ n: 10, disagreement: 0.3, correlation: null, meanAbsDiff: null });
    expect(multiclass.confusion).toEqual([
      [3, 0, 1],
      [0, 3, 0],
      [1, 1, 1],
    ]);
    expect(multiclass.agreement.value).toBeCloseTo(0.7, 12);
    expect(multiclass.agreement.ci![0]).toBeCloseTo(0.39677814746114537, 9);
    expect(multiclass.agreement.ci![1]).toBeCloseTo(0.8922087325936989, 9);
    expect(multiclass.shares.map((s) => [s.class, s.champion, s.challenger])).toEqual([
      ["basic", 0.4, 0.4],
      ["plus", 0.3, 0.4],
      ["pro", 0.3, 0.2],
    ]);
    expect(multiclass.shares[1]!.shift).toBeCloseTo(0.1, 12);
    expect(multiclass.shares[2]!.shift).toBeCloseTo(-0.1, 12);
    expect(distribution.psi).toBeCloseTo(0.06931471805599454, 12);
    expect(distribution.ks).toEqual({ statistic: null, pValue: null });
    expect(distribution.histogram).toEqual({
      labels: ["basic", "plus", "pro"],
      champion: [4, 3, 3],
      challenger: [4, 4, 2],
    });
  });

  it("says why there is nothing to report with no requests", () => {
    const { agreement, multiclass, distribution } = createClassAgreement(["a", "b"]).finish();
    expect(agreement.disagreement).toBeNull();
    expect(multiclass.agreement).toEqual({ value: null, ci: null, reason: "no requests to compare" });
    expect(multiclass.shares[0]).toEqual({ class: "a", champion: null, challenger: null, shift: null });
    expect(distribution).toMatchObject({ psi: null, reason: "no requests to compare" });
  });

  it("compares both models' accuracy on the outcomes, paired, as one-hot predicted classes", () => {
    const sample = createOutcomeSample(1000);
    // Each request ten times over (distinct ids), so the bootstrap has rows to resample.
    for (let r = 0; r < 30; r++) {
      for (const [i, y] of TRUTH.entries())
        sample.add(rowIdHash(`req-${r}-${i}`), CHAMPION[i]!, CANDIDATE[i]!, y);
    }
    const summary = compareOutcomes(sample, {
      task: "multiclass",
      classes: 3,
      metrics: ["accuracy"],
      threshold: 0.5,
      replicates: 300,
      seed: 1,
      minimum: 200,
    });
    expect(summary).toMatchObject({ labelled: 300, n: 300, sufficient: true });
    const m = summary.metrics["accuracy"]!;
    expect(m.champion.value).toBeCloseTo(0.8, 12);
    expect(m.challenger.value).toBeCloseTo(0.7, 12);
    expect(m.delta.value).toBeCloseTo(-0.1, 12);
    const [low, high] = m.delta.ci!;
    expect(low).toBeLessThan(-0.1);
    expect(high).toBeGreaterThan(-0.1);
    // Paired: per 10 requests the candidate loses 2 the champion got right and wins 1, so the
    // difference's standard error is √((0.3 − 0.01)/300) ≈ 0.031 and its interval stays below 0,
    // while the two accuracies' own intervals (±0.05 each) overlap.
    expect(high).toBeLessThan(0);
    expect(high - low).toBeLessThan(0.2);
    const few = compareOutcomes(sample, {
      task: "multiclass",
      classes: 3,
      metrics: ["accuracy"],
      threshold: 0.5,
      replicates: 50,
      seed: 1,
      minimum: 500,
    });
    expect(few.sufficient).toBe(false);
    expect(few.note).toContain("at least 500 are needed");
  });
});

describe("regression shadow comparison", () => {
  const truth = [3, 5, 7, 9, 11, 4, 6];
  const champion = [2.5, 5.5, 7, 8, 12, 4, 6.5];
  const candidate = [3.2, 5.1, 6.5, 9.4, 11.5, 3, 6.2];

  it("gives the mean difference with its normal interval, the share beyond the tolerance, correlation and MAD", () => {
    const a = createValueAgreement(0.5);
    // Exactly 0.5 apart is within the tolerance.
    expect(champion.map((c, i) => a.add(c, candidate[i]!))).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
      false,
    ]);
    const { agreement, regression } = a.finish();
    expect(agreement.n).toBe(7);
    expect(agreement.disagreement).toBeCloseTo(3 / 7, 12);
    expect(agreement.correlation).toBeCloseTo(0.964021928356678, 9);
    expect(agreement.meanAbsDiff).toBeCloseTo(0.6857142857142858, 12);
    expect(regression.tolerance).toBe(0.5);
    expect(regression.beyondTolerance).toBe(3);
    expect(regression.meanDifference.value).toBeCloseTo(-0.08571428571428566, 12);
    expect(regression.meanDifference.ci![0]).toBeCloseTo(-0.7017029665697313, 8);
    expect(regression.meanDifference.ci![1]).toBeCloseTo(0.53027439514116, 8);
  });

  it("stays exact for large values close to each other, and has no interval from one request", () => {
    const a = createValueAgreement(0);
    for (let i = 0; i < 1000; i++) a.add(1e9 + i, 1e9 + i + (i % 2 === 0 ? 0.25 : 0.75));
    const { regression } = a.finish();
    expect(Math.abs(regression.meanDifference.value! - 0.5)).toBeLessThan(TOL);
    // sd of {0.25, 0.75} alternating over 1000 rows: sqrt(0.0625 · 1000 / 999).
    const half = 1.959963984540054 * (Math.sqrt((0.0625 * 1000) / 999) / Math.sqrt(1000));
    expect(Math.abs(regression.meanDifference.ci![1] - 0.5 - half)).toBeLessThan(1e-6);
    const one = createValueAgreement(0);
    one.add(2, 3);
    expect(one.finish().regression.meanDifference).toEqual({
      value: 1,
      ci: null,
      reason: "one request: no interval",
    });
  });

  it("draws the histogram over the champion's deciles, counting every value", () => {
    const d = createScoreDistributions({ histogram: "deciles" });
    for (let i = 0; i < 1000; i++) d.add(100 + i, 150 + i);
    const { histogram, psi } = d.finish();
    expect(histogram.labels).toHaveLength(10);
    expect(histogram.labels[0]).toMatch(/^≤ 1\d\d\.\d$/);
    expect(histogram.champion.reduce((s, c) => s + c, 0)).toBe(1000);
    expect(histogram.challenger.reduce((s, c) => s + c, 0)).toBe(1000);
    // A shift of half a decile moves about 50 rows out of the first bin and into the last.
    expect(Math.abs(histogram.challenger[0]! - 50)).toBeLessThanOrEqual(3);
    expect(Math.abs(histogram.challenger[9]! - 150)).toBeLessThanOrEqual(3);
    expect(psi).toBeGreaterThan(0.05);
  });

  it("compares MAE and RMSE on the outcomes, paired", () => {
    const sample = createOutcomeSample(1000);
    for (let r = 0; r < 40; r++) {
      for (const [i, y] of truth.entries())
        sample.add(rowIdHash(`r${r}-${i}`), champion[i]!, candidate[i]!, y);
    }
    const summary = compareOutcomes(sample, {
      task: "regression",
      metrics: ["mae", "rmse"],
      threshold: 0.5,
      replicates: 300,
      seed: 2,
      minimum: 200,
    });
    expect(summary.sufficient).toBe(true);
    const mae = summary.metrics["mae"]!;
    const rmse = summary.metrics["rmse"]!;
    expect(mae.champion.value).toBeCloseTo(0.5, 12);
    expect(mae.challenger.value).toBeCloseTo(0.4142857142857143, 12);
    expect(mae.delta.value).toBeCloseTo(0.4142857142857143 - 0.5, 12);
    expect(rmse.champion.value).toBeCloseTo(0.6267831705280087, 12);
    expect(rmse.challenger.value).toBeCloseTo(0.5, 12);
    for (const m of [mae, rmse]) {
      expect(m.delta.ci![0]).toBeLessThanOrEqual(m.delta.value!);
      expect(m.delta.ci![1]).toBeGreaterThanOrEqual(m.delta.value!);
    }
  });
});

describe("checks and report per task", () => {
  const base = shadowResultFixture({
    model: { name: "plan", version: "1.0.0", sha256: "ab" },
    log: {
      ...shadowResultFixture().log,
      source: "logs/shadow.jsonl",
      rows: 2000,
      compared: 2000,
      duplicateIds: 0,
    },
    threshold: null,
    agreement: { n: 2000, disagreement: 0.08, correlation: null, meanAbsDiff: null },
    distribution: {
      psi: 0.01,
      ks: { statistic: null, pValue: null },
      histogram: { labels: ["basic", "plus"], champion: [1000, 1000], challenger: [1100, 900] },
    },
    slices: [],
    largestDisagreements: [{ id: "r1", a: "basic", b: "plus", diff: null }],
  });
  const multiclass: ShadowResult = {
    ...base,
    task: "multiclass",
    multiclass: {
      classes: ["basic", "plus"],
      agreement: { value: 0.92, ci: [0.908, 0.931] },
      confusion: [
        [920, 80],
        [180, 820],
      ],
      shares: [
        { class: "basic", champion: 0.5, challenger: 0.55, shift: 0.05 },
        { class: "plus", champion: 0.5, challenger: 0.45, shift: -0.05 },
      ],
    },
  };

  it("holds a multiclass candidate whose classes differ too often, saying so in the task's words", () => {
    const checks = shadowChecks(multiclass, DEFAULT_SHADOW_LIMITS);
    const disagreement = checks.find((c) => c.id === "disagreement")!;
    expect(disagreement).toMatchObject({ status: "fail", value: 0.08, limit: 0.05 });
    expect(disagreement.reason).toBe(
      "predicted classes differ on 8.0% of 2000 requests; at most 5.0% is allowed — over the limit",
    );
    expect(checks.find((c) => c.id === "score-psi")!.reason).toContain("candidate's class mix");
    const passing = shadowChecks(multiclass, { ...DEFAULT_SHADOW_LIMITS, maxDisagreement: 0.1 });
    expect(passing.find((c) => c.id === "disagreement")!.status).toBe("pass");
  });

  it("holds a regression candidate by the share beyond the tolerance", () => {
    const regression: ShadowResult = {
      ...base,
      task: "regression",
      agreement: { n: 2000, disagreement: 0.02, correlation: 0.99, meanAbsDiff: 0.3 },
      regression: { tolerance: 2.5, beyondTolerance: 40, meanDifference: { value: 0.12, ci: [0.1, 0.14] } },
    };
    const reason = shadowChecks(regression, DEFAULT_SHADOW_LIMITS).find((c) => c.id === "disagreement")!;
    expect(reason).toMatchObject({ status: "pass", value: 0.02 });
    expect(reason.reason).toBe(
      "predictions differ by more than 2.5 on 2.0% of 2000 requests; at most 5.0% is allowed",
    );
    const md = renderShadowSection(regression);
    expect(md).toContain("(logged candidate predictions; regression, tolerance 2.5)");
    expect(md).toContain(
      "Mean difference (candidate − champion) +0.120 [+0.100, +0.140] · 2.0% of requests differ by more than 2.5 · correlation 0.990",
    );
    expect(md).not.toContain("candidate positive");
  });

  it("renders the champion × candidate class table, the agreement interval and each class's shift", () => {
    const md = renderShadowSection(multiclass);
    expect(md).toContain("(logged candidate predictions; multiclass)");
    expect(md).toContain(
      "| champion ↓ · candidate → | basic | plus |\n| --- | --- | --- |\n| **basic** | 920 | 80 |\n| **plus** | 180 | 820 |",
    );
    expect(md).toContain("Class agreement 0.920 [0.908, 0.931] · PSI 0.010 of the class mix");
    expect(md).toContain("| basic | 50.0% | 55.0% | +5.0% |");
    expect(md).toContain("| plus | 50.0% | 45.0% | −5.0% |");
    expect(md).toContain("| r1 | basic | plus | — |");
    expect(md).toContain('title "Class distribution: champion (bars), candidate (line)"');
    expect(md).toContain('x-axis "class" ["basic", "plus"]');
    expect(md).not.toContain("threshold");
  });
});
