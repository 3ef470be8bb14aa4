import { describe, expect, it } from "vitest";
import { rowIdHash } from "../bootstrap/row-hash.js";
import type { Column } from "../table/column.js";
import { createLargestDifferences } from "./largest-differences.js";
import { createLatencyTally } from "./latency-tally.js";
import { compareOutcomes } from "./outcome-comparison.js";
import { createOutcomeSample } from "./outcome-sample.js";
import { renderShadowSection } from "./render-shadow-section.js";
import { createRequestIdFilter } from "./request-id-filter.js";
import { createScoreAgreement } from "./score-agreement.js";
import { createScoreDistributions } from "./score-distributions.js";
import { shadowChecks } from "./shadow-checks.js";
import { DEFAULT_SHADOW_LIMITS } from "./shadow-limits.js";
import { shadowResultFixture } from "./shadow-result.test-helper.js";
import { shadowVerdict } from "./shadow-verdict.js";
import { createSliceAgreement } from "./slice-agreement.js";
import { createValueSkew } from "./value-skew.js";

const TOL = 1e-12;

describe("shadow accumulators", () => {
  it("counts decisions, correlation and mean absolute difference", () => {
    const a = createScoreAgreement(0.5);
    const pairs = [
      [0.2, 0.3],
      [0.7, 0.4],
      [0.9, 0.8],
    ] as const;
    expect(pairs.map(([x, y]) => a.add(x, y))).toEqual([false, true, false]);
    const s = a.finish();
    expect(s.confusion).toEqual({ bothPositive: 1, bothNegative: 1, championOnly: 1, challengerOnly: 0 });
    expect(s.disagreement).toBeCloseTo(1 / 3, 12);
    expect(s.meanAbsDiff).toBeCloseTo((0.1 + 0.3 + 0.1) / 3, 12);
    // numpy.corrcoef([0.2, 0.7, 0.9], [0.3, 0.4, 0.8])[0, 1]
    expect(s.correlation).toBeCloseTo(0.8386278693775346, 10);
    expect(createScoreAgreement(0.5).finish()).toMatchObject({ n: 0, disagreement: null, correlation: null });
  });

  it("keeps the correlation exact for scores far from zero and close together", () => {
    const a = createScoreAgreement(0.5);
    for (let i = 0; i < 10_000; i++) a.add(0.9 + i * 1e-9, 0.9 + i * 2e-9);
    expect(Math.abs(a.finish().correlation! - 1)).toBeLessThan(1e-6);
  });

  it("finds no shift between equal distributions and a large one between separated ones", () => {
    const same = createScoreDistributions();
    const apart = createScoreDistributions();
    for (let i = 0; i < 5000; i++) {
      const p = (i % 1000) / 1000;
      same.add(p, p);
      apart.add(p * 0.5, 0.5 + p * 0.5);
    }
    const s = same.finish();
    expect(s.psi).toBeLessThan(1e-9);
    expect(s.ks.statistic).toBeLessThan(0.01);
    expect(s.histogram.champion.reduce((x, y) => x + y, 0)).toBe(5000);
    const d = apart.finish();
    expect(d.psi).toBeGreaterThan(1);
    expect(d.ks.statistic).toBeGreaterThan(0.99);
    expect(createScoreDistributions().finish()).toMatchObject({ psi: null, reason: "no scores to compare" });
  });

  it("ranks slices worst first and suppresses small ones", () => {
    const region: Column = { kind: "category", values: [], nulls: new Uint8Array(0) };
    const values = [...Array(40).fill("AE"), ...Array(40).fill("MA"), "QA"];
    region.values = values;
    region.nulls = new Uint8Array(values.length);
    const slices = createSliceAgreement(["region", { column: "age", bins: [30] }], { minSliceSize: 30 });
    const age: Column = {
      kind: "number",
      values: Float64Array.from(values, (_, i) => i),
      nulls: new Uint8Array(values.length),
    };
    const columns = new Map<string, Column>([
      ["region", region],
      ["age", age],
    ]);
    for (const [i, v] of values.entries()) slices.add(columns, i, v === "MA" && i % 2 === 0);
    const out = slices.finish();
    expect(out[0]).toEqual({ key: { region: "MA" }, n: 40, disagreement: 0.5, suppressed: false });
    expect(out.at(-1)).toEqual({ key: { region: "QA" }, n: 1, disagreement: null, suppressed: true });
    expect(out.find((s) => s.key["age"] === "≥ 30")?.n).toBe(51);
  });

  it("keeps the first of each request id and counts the repeats", () => {
    const ids = createRequestIdFilter(16);
    const offered = ["a", "b", "a", "c", "a", "b"];
    expect(offered.map((id) => ids.first(id))).toEqual([true, true, false, true, false, false]);
    expect(ids.duplicates).toBe(3);
    expect(ids.examples).toEqual(["a", "b"]);
    const many = createRequestIdFilter(16);
    for (let i = 0; i < 100_000; i++) many.first(`req-${i}`);
    expect(many.duplicates).toBe(0);
  });

  it("keeps the k largest differences, largest first", () => {
    const top = createLargestDifferences(2);
    for (const [id, d] of [
      ["a", 0.1],
      ["b", 0.7],
      ["c", 0.4],
      ["d", Number.NaN],
    ] as const) {
      top.add(d, () => ({ id, a: 0, b: d, diff: d }));
    }
    expect(top.finish().map((d) => d.id)).toEqual(["b", "c"]);
  });

  it("reads latency percentiles and skips missing values", () => {
    const t = createLatencyTally();
    for (let i = 1; i <= 100; i++) t.add(i);
    t.add(Number.NaN);
    const p = t.finish()!;
    expect(p.n).toBe(100);
    expect(Math.abs(p.p50Ms! - 50)).toBeLessThanOrEqual(1);
    expect(p.p99Ms).toBeGreaterThanOrEqual(98);
    expect(createLatencyTally().finish()).toBeNull();
  });

  it("tells skew from rounding", () => {
    const skew = createValueSkew(1e-6);
    expect(skew.add("r1", 2048, 2)).toBe(true);
    expect(skew.add("r2", 3, 3 + 1e-9)).toBe(false);
    expect(skew.add("r3", "AE", "SA")).toBe(true);
    expect(skew.add("r4", null, 1)).toBe(true);
    const s = skew.finish();
    expect(s).toMatchObject({ n: 4, mismatched: 3, maxAbsDiff: 2046 });
    expect(s.largest.map((d) => d.id)).toEqual(["r3", "r4", "r1"]);
  });

  it("samples outcomes by id, bounded and independent of order", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => rowIdHash(`req-${i}`));
    const forward = createOutcomeSample(1000);
    const backward = createOutcomeSample(1000);
    for (const h of ids) forward.add(h, 0.5, 0.5, 1);
    for (const h of [...ids].reverse()) backward.add(h, 0.5, 0.5, 1);
    const f = forward.rows().rowIds;
    expect(f.length).toBeLessThanOrEqual(1000);
    expect(f.length).toBeGreaterThan(400);
    expect([...f].sort()).toEqual([...backward.rows().rowIds].sort());
    expect(forward.seen).toBe(5000);
  });

  it("pairs the outcome bootstrap and refuses a verdict on a handful of outcomes", () => {
    const sample = createOutcomeSample(10_000);
    for (let i = 0; i < 2000; i++) {
      const y = i % 3 === 0 ? 1 : 0;
      const champion = y ? 0.6 + (i % 7) / 20 : 0.4 - (i % 5) / 20;
      sample.add(rowIdHash(`r${i}`), champion, Math.min(1, champion + 0.01), y);
    }
    const options = {
      metrics: ["roc_auc", "accuracy"] as const,
      threshold: 0.5,
      replicates: 100,
      seed: 7,
      minimum: 200,
    };
    const many = compareOutcomes(sample, { ...options, metrics: [...options.metrics] });
    expect(many.sufficient).toBe(true);
    const delta = many.metrics["accuracy"]!.delta;
    expect(Math.abs(delta.value!)).toBeLessThan(TOL + 0.01);
    const few = createOutcomeSample(10);
    few.add(rowIdHash("a"), 0.9, 0.8, 1);
    few.add(rowIdHash("b"), 0.2, 0.3, 0);
    const summary = compareOutcomes(few, { ...options, metrics: [...options.metrics] });
    expect(summary).toMatchObject({ n: 2, sufficient: false });
    expect(summary.note).toContain("only 2 requests with outcomes");
  });
});

describe("shadow verdict and report", () => {
  const base = shadowResultFixture();

  it("holds on a failed limit, naming the worst slice, and promotes otherwise", () => {
    const checks = shadowChecks(base, DEFAULT_SHADOW_LIMITS);
    const verdict = shadowVerdict(checks);
    expect(verdict.recommendation).toBe("hold");
    expect(verdict.reasons.some((r) => r.includes("region=<script>"))).toBe(true);
    const fine = shadowChecks(
      { ...base, agreement: { ...base.agreement, disagreement: 0.01 }, slices: [] },
      { ...DEFAULT_SHADOW_LIMITS, minRequests: 100 },
    );
    expect(shadowVerdict(fine)).toMatchObject({ recommendation: "promote to canary", status: "warn" });
    expect(fine.find((c) => c.id === "latency-p99")?.status).toBe("skip");
  });

  it("holds when fewer requests than min-requests were compared, saying how many rows were left out", () => {
    const agreeing = { ...base, agreement: { ...base.agreement, disagreement: 0 }, slices: [] };
    const one = {
      ...agreeing,
      log: { ...base.log, rows: 40, compared: 1, duplicateIds: 39 },
      agreement: { ...agreeing.agreement, n: 1 },
    };
    const checks = shadowChecks(one, DEFAULT_SHADOW_LIMITS);
    expect(checks[0]).toEqual({
      id: "compared-requests",
      status: "fail",
      value: 1,
      limit: 1000,
      reason:
        "only 1 request compared (39 of 40 logged rows left out, 39 of them repeated ids); at least 1000 are needed for a verdict: log more shadow traffic, or lower shadow.min-requests",
    });
    expect(shadowVerdict(checks).recommendation).toBe("hold");
    // Exactly the minimum is enough.
    const enough = shadowChecks(agreeing, { ...DEFAULT_SHADOW_LIMITS, minRequests: 100 });
    expect(enough[0]).toMatchObject({ id: "compared-requests", status: "pass", value: 100 });
    expect(shadowVerdict(enough).recommendation).toBe("promote to canary");
  });

  it("names the first repeated request ids in the log line, as code", () => {
    const md = renderShadowSection({
      ...base,
      log: { ...base.log, duplicateIds: 7, repeatedIds: ["req-1", "@bob`x"] },
      ...shadowVerdict(shadowChecks(base, DEFAULT_SHADOW_LIMITS)),
      checks: shadowChecks(base, DEFAULT_SHADOW_LIMITS),
    });
    expect(md).toContain("7 repeated request ids (first occurrence kept; e.g. `req-1`, `` @bob`x ``, …)");
  });

  it("renders both distributions as an xychart and escapes data-derived text", () => {
    const md = renderShadowSection({
      ...base,
      ...shadowVerdict(shadowChecks(base, DEFAULT_SHADOW_LIMITS)),
      checks: shadowChecks(base, DEFAULT_SHADOW_LIMITS),
    });
    expect(md).toContain("xychart-beta");
    expect(md).toContain("  bar [0.55, 0.45]");
    expect(md).toContain("  line [0.5, 0.5]");
    expect(md).not.toContain("<script>");
    expect(md).not.toMatch(/(^|[^\u2060])@alice/);
    expect(md).toContain("Recommendation: hold");
  });
});
