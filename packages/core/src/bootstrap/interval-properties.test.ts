import { describe, expect, it } from "vitest";
import { BINARY_METRICS, type MetricName } from "../manifest/metric-names.js";
import { OPERATING_METRICS } from "../metrics/operating-metrics.js";
import { METRICS } from "../metrics/registry.js";
import type { Evaluation, MetricResult } from "../results/evaluation.js";
import type { Column } from "../table/column.js";
import { evaluate } from "./evaluate.js";
import { rowIdHash } from "./row-hash.js";
import { supTIntervals } from "./sup-t-intervals.js";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// The metrics at the threshold and of the scores' ranking; the operating-point, cost and fairness
// metrics have their interval properties checked in metrics/operating-point.test.ts.
const BINARY: MetricName[] = BINARY_METRICS.filter(
  (m) => !OPERATING_METRICS.has(m) && m !== "fpr" && m !== "selection_rate",
);

/** n rows, a normal-ish score that separates the classes by `shift`, three regions. */
function rows(n: number, seed: number, shift = 1) {
  const rnd = lcg(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const labels = new Float64Array(n);
  const score = new Float64Array(n);
  const region: string[] = [];
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.35 ? 1 : 0;
    score[i] = 1 / (1 + Math.exp(-(normal() + shift * (labels[i]! - 0.35))));
    region.push(["AE", "SA", "EG"][Math.floor(rnd() * 3)]!);
  }
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r-${seed}-${i}`));
  const sliceColumns = new Map<string, Column>([
    ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
  ]);
  return { labels, scores: score, rowIds, sliceColumns };
}

const settings = {
  task: "binary" as const,
  specs: ["region"],
  threshold: 0.5,
  minSliceSize: 5,
  seed: 7,
  bootstrap: 300,
};

/** Every metric result of an evaluation with where it is, deltas included. */
function results(e: Evaluation): { where: string; name: MetricName; r: MetricResult; delta: boolean }[] {
  const out: { where: string; name: MetricName; r: MetricResult; delta: boolean }[] = [];
  const add = (where: string, metrics: Partial<Record<MetricName, MetricResult>>, delta = false) => {
    for (const [name, r] of Object.entries(metrics))
      out.push({ where, name: name as MetricName, r: r!, delta });
  };
  add("overall", e.overall.metrics);
  for (const [i, s] of e.slices.entries()) add(`slice ${i}`, s.metrics);
  if (e.baseline) {
    add("baseline", e.baseline.overall.metrics);
    add("delta", e.baseline.overall.delta, true);
    e.baseline.slices.forEach((s, i) => {
      add(`baseline slice ${i}`, s.metrics);
      add(`delta slice ${i}`, s.delta, true);
    });
  }
  return out;
}

describe("intervals of the exact bootstrap", () => {
  it("are invariant for ROC AUC and AP under strictly monotone transforms, even into a 0.01-wide range", () => {
    const d = rows(400, 3);
    const baseline = d.scores.map((s, i) => (i % 7 === 0 ? 1 - s : s));
    const run = (f: (s: number) => number) =>
      evaluate({
        ...settings,
        ...d,
        scores: d.scores.map(f),
        baselineScores: baseline.map(f),
        metrics: ["roc_auc", "average_precision"],
      });
    const plain = run((s) => s);
    // Squeezed into [0.5, 0.51] (the narrow-range case), a convex rescaling, and log-odds
    // (scores outside [0, 1] take the same route: no method depends on the score range).
    for (const f of [
      (s: number) => 0.5 + 0.01 * s,
      (s: number) => s ** 3,
      (s: number) => Math.log(s / (1 - s)),
    ]) {
      expect(run(f)).toEqual(plain);
    }
    expect(plain.overall.metrics.roc_auc!.ci).not.toBeNull();
  });

  it("contain their point estimate and stay in the metric's range, even at n = 10", () => {
    let checked = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const n = [10, 15, 25, 60][seed % 4]!;
      const d = rows(n, seed, seed % 3);
      const e = evaluate({
        ...settings,
        ...d,
        baselineScores: rows(n, seed + 1000, 1).scores,
        metrics: BINARY,
        minSliceSize: 3,
      });
      for (const { where, name, r, delta } of results(e)) {
        if (r.value === null || !r.ci) continue;
        const [lo, hi] = METRICS[name].range;
        const range = delta ? [lo - hi, hi - lo] : [lo, hi];
        const at = `${name} ${where} seed ${seed}`;
        expect(r.ci[0], at).toBeLessThanOrEqual(r.value);
        expect(r.ci[1], at).toBeGreaterThanOrEqual(r.value);
        expect(r.ci[0], at).toBeGreaterThanOrEqual(range[0]!);
        expect(r.ci[1], at).toBeLessThanOrEqual(range[1]!);
        if (r.ciAdjusted) {
          expect(r.ciAdjusted[0], at).toBeLessThanOrEqual(r.value);
          expect(r.ciAdjusted[1], at).toBeGreaterThanOrEqual(r.value);
          expect(r.ciAdjusted[0], at).toBeGreaterThanOrEqual(range[0]!);
          expect(r.ciAdjusted[1], at).toBeLessThanOrEqual(range[1]!);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it("are degenerate for degenerate data: constant scores give AUC 0.5 in [0.5, 0.5]; one class none", () => {
    const d = rows(40, 5);
    const constant = evaluate({ ...settings, ...d, scores: new Float64Array(40).fill(0.3), metrics: BINARY });
    expect(constant.overall.metrics.roc_auc).toEqual({ value: 0.5, ci: [0.5, 0.5] });
    const oneClass = evaluate({ ...settings, ...d, labels: new Float64Array(40), metrics: ["roc_auc"] });
    expect(oneClass.overall.metrics.roc_auc!.value).toBeNull();
    expect(oneClass.overall.metrics.roc_auc!.ci).toBeNull();
  });

  it("judge every delta but ECE together, and say how", () => {
    const d = rows(600, 9);
    const e = evaluate({ ...settings, ...d, baselineScores: rows(600, 10).scores, metrics: BINARY });
    const adjustment = e.baseline!.adjustment!;
    expect(adjustment.method).toBe("sup-t");
    // 8 judged metrics × (overall + 3 regions).
    expect(adjustment.comparisons).toBe(32);
    expect(adjustment.critical).toBeGreaterThan(2.2);
    expect(e.baseline!.overall.delta.ece!.ciAdjusted).toBeUndefined();
    const auc = e.baseline!.overall.delta.roc_auc!;
    // The simultaneous interval is wider than the per-change one.
    expect(auc.ciAdjusted![1] - auc.ciAdjusted![0]).toBeGreaterThan(auc.ci![1] - auc.ci![0]);
  });

  it("keep false alarms across a report at or below 5% when the models perform the same", () => {
    // Two models drawn from the same process (independent noise on the same rows): any
    // "significant regression" in any of 8 metrics × 4 groups is a false alarm. 120 reports: the
    // rate's standard error at 5% is 2%, so more than 12% would be a clear failure; per-change
    // intervals at 2.5% one-sided give about 25% here.
    let alarms = 0;
    const reports = 120;
    for (let run = 0; run < reports; run++) {
      const rnd = lcg(run + 50);
      const n = 300;
      const labels = Float64Array.from({ length: n }, () => (rnd() < 0.35 ? 1 : 0));
      const model = () =>
        labels.map((y) => {
          const z = Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
          return 1 / (1 + Math.exp(-(z + (y - 0.35))));
        });
      const region = Array.from({ length: n }, () => ["AE", "SA", "EG"][Math.floor(rnd() * 3)]!);
      const e = evaluate({
        ...settings,
        bootstrap: 200,
        seed: run,
        labels,
        scores: model(),
        baselineScores: model(),
        rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`${run}-${i}`)),
        sliceColumns: new Map([["region", { kind: "category", values: region, nulls: new Uint8Array(n) }]]),
        metrics: BINARY,
      });
      const deltas = [e.baseline!.overall.delta, ...e.baseline!.slices.map((s) => s.delta)];
      const alarm = deltas.some((delta) =>
        Object.entries(delta).some(([name, r]) => {
          const ci = r?.ciAdjusted;
          if (!ci) return false;
          return METRICS[name as MetricName].direction === "higher" ? ci[1] < 0 : ci[0] > 0;
        }),
      );
      if (alarm) alarms++;
    }
    expect(alarms / reports).toBeLessThanOrEqual(0.12);
  }, 60_000);
});

describe("every slice accounted for", () => {
  it("lists empty bins and declared values without rows, suppressed, in the result", () => {
    const d = rows(200, 4);
    const tenure = Float64Array.from({ length: 200 }, (_, i) => i % 50);
    const sliceColumns = new Map<string, Column>([
      ...d.sliceColumns,
      ["tenure", { kind: "number", values: tenure, nulls: new Uint8Array(200) }],
    ]);
    const e = evaluate({
      ...settings,
      ...d,
      sliceColumns,
      specs: ["region", { column: "tenure", bins: [10, 60, 100] }],
      declaredValues: new Map([["region", ["AE", "SA", "EG", "QA"]]]),
      metrics: ["roc_auc"],
    });
    const shown = e.slices.map((s) => [Object.values(s.key)[0], s.n]);
    expect(shown).toContainEqual(["QA", "< 5"]);
    expect(shown).toContainEqual(["[60, 100)", "< 5"]);
    expect(shown).toContainEqual(["≥ 100", "< 5"]);
    expect(e.slices.find((s) => s.key["tenure"] === "[10, 60)")!.n).toBe(160);
  });
});

describe("ECE", () => {
  it("has the basic (bias-reflected) interval: it reaches a calibrated model's true ECE of 0 where a percentile one cannot", () => {
    // Calibrated scores (the label is drawn with the score's probability): population ECE 0. The
    // plug-in is always above 0 and so is every replicate, so a percentile interval never holds 0.
    let covered = 0;
    const runs = 40;
    for (let run = 0; run < runs; run++) {
      const rnd = lcg(run + 900);
      const n = 300;
      const scores = Float64Array.from({ length: n }, () => rnd());
      const labels = scores.map((p) => (rnd() < p ? 1 : 0));
      const e = evaluate({
        ...settings,
        specs: [],
        labels,
        scores,
        rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`e${run}-${i}`)),
        sliceColumns: new Map(),
        metrics: ["ece"],
      });
      const { value, ci } = e.overall.metrics.ece!;
      expect(value).toBeGreaterThan(0);
      expect(ci![0]).toBeLessThanOrEqual(value!);
      if (ci![0] === 0) covered++;
    }
    // About 60% here (a boundary: the bootstrap cannot reach 95% at a true value of 0).
    expect(covered / runs).toBeGreaterThan(0.35);
  });
});

describe("supTIntervals", () => {
  it("for one member is the bootstrap-t band at the |T| quantile, and widens with more members", () => {
    const rnd = lcg(1);
    const draws = (n: number) =>
      Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd()));
    const one = supTIntervals([{ point: 0, replicates: draws(4000), range: [-10, 10] }], 0.95);
    expect(one.critical).toBeGreaterThan(1.85);
    expect(one.critical).toBeLessThan(2.07);
    const many = supTIntervals(
      Array.from({ length: 20 }, () => ({
        point: 0,
        replicates: draws(4000),
        range: [-10, 10] as [number, number],
      })),
      0.95,
    );
    // 20 independent members: the 95% quantile of their largest |Z| is about 3.02.
    expect(many.critical).toBeGreaterThan(2.85);
    expect(many.critical).toBeLessThan(3.2);
    expect(many.members).toBe(20);
  });

  it("gives a constant member [point, point], cuts to the range and keeps the point inside", () => {
    const out = supTIntervals(
      [
        { point: 0.2, replicates: Float64Array.of(0.2, 0.2, 0.2), range: [-1, 1] },
        { point: 0.95, replicates: Float64Array.of(0.5, 0.9, 1.0, Number.NaN), range: [-1, 1] },
        { point: 0, replicates: Float64Array.of(Number.NaN), range: [-1, 1] },
      ],
      0.95,
    );
    expect(out.ci[0]).toEqual([0.2, 0.2]);
    expect(out.ci[1]![1]).toBe(1);
    expect(out.ci[1]![0]).toBeLessThan(0.95);
    expect(out.ci[2]).toBeNull();
  });
});
