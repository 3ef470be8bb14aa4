import { describe, expect, it } from "vitest";
import type { MetricName } from "../manifest/metric-names.js";
import type { RowPass } from "../metrics/binary-pass.js";
import { METRICS } from "../metrics/registry.js";
import type { Evaluation, MetricResult } from "../results/evaluation.js";
import type { Column } from "../table/column.js";
import { type EvaluateInput, evaluate } from "./evaluate.js";
import { type MaximaJob, type MaximaRunner, maximaHere } from "./gaussian-maxima.js";
import { GAUSSIAN_MIN_COUNT, INFLUENCE_METRICS } from "./influence-moments.js";
import { UNJUDGED_METRICS } from "./judged-metrics.js";
import { type TallyRunner, tallyHere } from "./point-tallies.js";
import { rowIdHash } from "./row-hash.js";

const METRIC_LIST: MetricName[] = [...INFLUENCE_METRICS];

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * n rows, prevalence 0.5, two models; region "A" and "B" hold 45% each (at n = 10,000 every count
 * above GAUSSIAN_MIN_COUNT and over 2,000 of each class, GAUSSIAN_MIN_CLASS_COUNT: Gaussian), "C" 10%
 * (under 1,000 rows: bootstrapped).
 */
function rows(n: number, seed: number) {
  const rnd = lcg(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const baselineScores = new Float64Array(n);
  const region: string[] = [];
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.5 ? 1 : 0;
    const x = normal() + 1.4 * (labels[i]! - 0.5);
    scores[i] = 1 / (1 + Math.exp(-x));
    baselineScores[i] = 1 / (1 + Math.exp(-(x + 0.6 * normal())));
    const u = rnd();
    region.push(u < 0.45 ? "A" : u < 0.9 ? "B" : "C");
  }
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r-${seed}-${i}`));
  return { labels, scores, baselineScores, rowIds, region };
}

function input(d: ReturnType<typeof rows>, over: Partial<EvaluateInput> = {}): EvaluateInput {
  const n = d.labels.length;
  const sliceColumns = new Map<string, Column>([
    ["region", { kind: "category", values: d.region, nulls: new Uint8Array(n) }],
  ]);
  return {
    task: "binary",
    labels: d.labels,
    scores: d.scores,
    baselineScores: d.baselineScores,
    rowIds: d.rowIds,
    sliceColumns,
    specs: ["region"],
    metrics: METRIC_LIST,
    threshold: 0.5,
    minSliceSize: 30,
    bootstrap: 200,
    seed: 7,
    ...over,
  };
}

/** Every result with where it is: `[where, metric, result]`. */
function results(e: Evaluation): [string, MetricName, MetricResult][] {
  const out: [string, MetricName, MetricResult][] = [];
  const add = (where: string, metrics: Partial<Record<MetricName, MetricResult>>) => {
    for (const [name, r] of Object.entries(metrics)) out.push([where, name as MetricName, r!]);
  };
  add("overall", e.overall.metrics);
  for (const s of e.slices) add(`slice ${s.key.region}`, s.metrics);
  if (e.baseline) {
    add("baseline", e.baseline.overall.metrics);
    add("delta", e.baseline.overall.delta);
    e.baseline.slices.forEach((s) => {
      add(`baseline slice ${s.key.region}`, s.metrics);
      add(`delta slice ${s.key.region}`, s.delta);
    });
  }
  return out;
}

const d = rows(10_000, 3);
const single = evaluate(input(d));

describe("Gaussian intervals of large groups (influence functions) beside the bootstrap of small ones", () => {
  it("takes the Wald interval θ̂ ± z·se above the threshold and the bootstrap below it", () => {
    const c = single.slices.find((s) => s.key.region === "C")!;
    expect(Number(c.n)).toBeLessThan(2 * GAUSSIAN_MIN_COUNT);
    const symmetric = (r: MetricResult) => Math.abs(r.ci![0] + r.ci![1] - 2 * r.value!) < 1e-12;
    // Overall and the large slices: symmetric about the point (no clipping at these values).
    for (const name of ["roc_auc", "average_precision", "accuracy", "log_loss"] as const) {
      expect(symmetric(single.overall.metrics[name]!), name).toBe(true);
      expect(symmetric(single.slices.find((s) => s.key.region === "A")!.metrics[name]!), name).toBe(true);
    }
    // The small slice keeps the exact bootstrap: its intervals are those of the same rows
    // evaluated alone (weights follow the row ids), bit for bit.
    const only = [...d.region.keys()].filter((i) => d.region[i] === "C");
    const pick = (a: Float64Array) => Float64Array.from(only, (i) => a[i]!);
    const alone = evaluate(
      input(
        {
          labels: pick(d.labels),
          scores: pick(d.scores),
          baselineScores: pick(d.baselineScores),
          rowIds: Uint32Array.from(only, (i) => d.rowIds[i]!),
          region: only.map(() => "C"),
        },
        { specs: [] },
      ),
    );
    for (const name of METRIC_LIST) {
      expect(c.metrics[name]!.ci, name).toEqual(alone.overall.metrics[name]!.ci);
      const delta = single.baseline!.slices.find((s) => s.key.region === "C")!.delta[name]!;
      expect(delta.ci, name).toEqual(alone.baseline!.overall.delta[name]!.ci);
    }
    expect(symmetric(c.metrics.roc_auc!)).toBe(false);
  });

  it("simulates every Gaussian block's maxima, and runs the candidate's point pass, through the runners it is given, to the same result", () => {
    const asked: MaximaJob[][] = [];
    const runMaxima: MaximaRunner = (jobs) => {
      asked.push([...jobs]);
      return maximaHere(jobs);
    };
    const tallied: RowPass[] = [];
    const runTally: TallyRunner = (pass, weights) => {
      tallied.push(pass);
      return tallyHere(pass, weights);
    };
    expect(evaluate(input(d, { runMaxima, runTally }))).toEqual(single);
    expect(tallied).toHaveLength(1);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.map((job) => job.seed)).toEqual(["7/sup-t/0", "7/sup-t/1", "7/sup-t/2"]);
    // Overall, A and B: C is bootstrapped.
    expect(asked[0]!).toHaveLength(single.baseline!.adjustment!.gaussianGroups!);
  });

  it("keeps every point inside its intervals and every interval inside the metric's range", () => {
    for (const [where, name, r] of results(single)) {
      const [min, max] = METRICS[name].range;
      const [low, high] = where.startsWith("delta") ? [min - max, max - min] : [min, max];
      expect(r.ci, `${where} ${name}`).not.toBeNull();
      expect(r.ci![0]).toBeLessThanOrEqual(r.value!);
      expect(r.ci![1]).toBeGreaterThanOrEqual(r.value!);
      expect(r.ci![0]).toBeGreaterThanOrEqual(low);
      expect(r.ci![1]).toBeLessThanOrEqual(high);
      if (r.ciAdjusted) {
        // The simultaneous interval is wider than the per-change one and holds the point.
        expect(r.ciAdjusted[0]).toBeLessThanOrEqual(r.ci![0] + 1e-12);
        expect(r.ciAdjusted[1]).toBeGreaterThanOrEqual(r.ci![1] - 1e-12);
      }
    }
    expect(single.baseline!.adjustment!.critical).toBeGreaterThan(1.96);
  });

  it("gives rank-metric and threshold-metric intervals that a strictly monotone transform does not change", () => {
    const cube = (a: Float64Array) => a.map((v) => v ** 3);
    const moved = evaluate(
      input(
        { ...d, scores: cube(d.scores), baselineScores: cube(d.baselineScores) },
        { threshold: 0.5 ** 3 },
      ),
    );
    const before = new Map(results(single).map(([w, n, r]) => [`${w}/${n}`, r]));
    for (const [where, name, r] of results(moved)) {
      if (!["roc_auc", "average_precision", "accuracy", "precision", "recall", "f1"].includes(name)) continue;
      const b = before.get(`${where}/${name}`)!;
      expect(r.ci![0], `${where} ${name}`).toBeCloseTo(b.ci![0], 12);
      expect(r.ci![1], `${where} ${name}`).toBeCloseTo(b.ci![1], 12);
    }
  });

  it("gives degenerate deltas [0, 0] when the two models are the same", () => {
    const same = evaluate(input({ ...d, baselineScores: d.scores }));
    for (const [where, name, r] of results(same)) {
      if (!where.startsWith("delta")) continue;
      expect(r.ci, `${where} ${name}`).toEqual([0, 0]);
      if (r.ciAdjusted) expect(r.ciAdjusted).toEqual([0, 0]);
    }
  });

  it("merges exactly: the same rows in another order (concatenated shards) give every value within 1e-9", () => {
    const n = d.labels.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const pick = (a: Float64Array) => Float64Array.from(perm, (i) => a[i]!);
    const merged = evaluate(
      input({
        labels: pick(d.labels),
        scores: pick(d.scores),
        baselineScores: pick(d.baselineScores),
        rowIds: Uint32Array.from(perm, (i) => d.rowIds[i]!),
        region: perm.map((i) => d.region[i]!),
      }),
    );
    const before = new Map(results(single).map(([w, n, r]) => [`${w}/${n}`, r]));
    for (const [where, name, r] of results(merged)) {
      const b = before.get(`${where}/${name}`)!;
      expect(Math.abs(r.value! - b.value!), `${where} ${name}`).toBeLessThan(1e-9);
      for (const k of [0, 1]) {
        expect(Math.abs(r.ci![k]! - b.ci![k]!), `${where} ${name}`).toBeLessThan(1e-9);
        if (r.ciAdjusted) expect(Math.abs(r.ciAdjusted[k]! - b.ciAdjusted![k]!)).toBeLessThan(1e-9);
      }
    }
    expect(
      Math.abs(merged.baseline!.adjustment!.critical - single.baseline!.adjustment!.critical),
    ).toBeLessThan(1e-9);
  });
});

describe("per-metric routes: a group with many rows of each class and few predicted positives", () => {
  // Threshold 0.85: under 1,000 predicted positives overall and fewer per region, 5,000 of each class.
  const mixed = evaluate(input(d, { threshold: 0.85 }));
  const counted: MetricName[] = ["precision", "f1"];

  it("bootstraps only the metrics whose counts are small, and says so per metric", () => {
    for (const group of [mixed.overall, ...mixed.slices.filter((s) => s.key.region !== "C")]) {
      expect(group.intervals).toBe("mixed");
      for (const name of METRIC_LIST)
        expect(group.metrics[name]!.intervals, name).toBe(counted.includes(name) ? "bootstrap" : "gaussian");
    }
    const c = mixed.slices.find((s) => s.key.region === "C")!;
    expect(c.intervals).toBe("bootstrap");
    expect(c.metrics.roc_auc).not.toHaveProperty("intervals");
    // Groups of one route say it once, on the group.
    expect(single.overall.intervals).toBe("gaussian");
    expect(single.overall.metrics.roc_auc).not.toHaveProperty("intervals");
  });

  it("gives each route's intervals as a run of that route alone would", () => {
    // Rank metrics do not depend on the threshold: their Gaussian intervals are those at 0.5.
    expect(mixed.overall.metrics.roc_auc!.ci).toEqual(single.overall.metrics.roc_auc!.ci);
    expect(mixed.baseline!.overall.delta.average_precision!.ci).toEqual(
      single.baseline!.overall.delta.average_precision!.ci,
    );
    // The bootstrapped metrics (on the confusion counts alone) equal a run that bootstraps them on
    // the full binary pass (f1_max has no influence function and needs the score walk).
    const full = evaluate(input(d, { threshold: 0.85, metrics: [...counted, "f1_max"] }));
    for (const name of counted) {
      expect(mixed.overall.metrics[name]!.ci, name).toEqual(full.overall.metrics[name]!.ci);
      expect(mixed.baseline!.overall.delta[name]!.ci, name).toEqual(full.baseline!.overall.delta[name]!.ci);
      mixed.slices.forEach((s, i) => {
        expect(s.metrics[name]!.ci, `${name} ${s.key.region}`).toEqual(full.slices[i]!.metrics[name]!.ci);
      });
    }
  });

  it("holds every point inside its intervals, and one simultaneous family over both routes", () => {
    for (const [where, name, r] of results(mixed)) {
      expect(r.ci, `${where} ${name}`).not.toBeNull();
      expect(r.ci![0]).toBeLessThanOrEqual(r.value!);
      expect(r.ci![1]).toBeGreaterThanOrEqual(r.value!);
      if (!where.startsWith("delta") || UNJUDGED_METRICS.has(name as MetricName)) continue;
      // Every judged change has a simultaneous interval, at the one critical value of the report.
      expect(r.ciAdjusted, `${where} ${name}`).toBeDefined();
      expect(r.ciAdjusted![0]).toBeLessThanOrEqual(r.ci![0] + 1e-12);
      expect(r.ciAdjusted![1]).toBeGreaterThanOrEqual(r.ci![1] - 1e-12);
    }
    const adjustment = mixed.baseline!.adjustment!;
    // 4 groups × every judged metric; the Gaussian blocks are overall, A and B (C is all bootstrapped).
    const judged = METRIC_LIST.filter((m) => !UNJUDGED_METRICS.has(m)).length;
    expect(adjustment.comparisons).toBe(4 * judged);
    expect(adjustment.gaussianGroups).toBe(3);
    expect(adjustment.critical).toBeGreaterThan(1.96);
    // A Gaussian change's simultaneous interval is its point ± critical · se, se from the per-change interval.
    const auc = mixed.baseline!.overall.delta.roc_auc!;
    const se = (auc.ci![1] - auc.ci![0]) / (2 * 1.959963984540054);
    expect((auc.ciAdjusted![1] - auc.ciAdjusted![0]) / (2 * se)).toBeCloseTo(adjustment.critical, 6);
  });
});

describe("sample weights on the Gaussian route", () => {
  it("of 1 give the unweighted Gaussian and bootstrap intervals bit for bit", () => {
    const d = rows(8000, 31);
    const plain = evaluate(input(d, { bootstrap: 60 }));
    expect(plain.overall.intervals).toBe("gaussian");
    expect(plain.slices.find((x) => x.key.region === "C")!.intervals).toBe("bootstrap");
    const ones = evaluate(input(d, { bootstrap: 60, weights: new Float64Array(8000).fill(1) }));
    expect(ones.overall.weight).toBe(8000);
    expect(JSON.stringify(ones, (k, v) => (k === "weight" ? undefined : v))).toBe(JSON.stringify(plain));
  });

  it("in other units (all multiplied by 7) give the same Gaussian intervals and simultaneous ones", () => {
    const d = rows(8000, 35);
    const weights = Float64Array.from({ length: 8000 }, (_, i) => [0.5, 1, 2, 0, 3][(i * 3) % 5]!);
    const one = evaluate(input(d, { bootstrap: 60, weights }));
    expect(one.overall.intervals).toBe("gaussian");
    const seven = evaluate(input(d, { bootstrap: 60, weights: weights.map((v) => 7 * v) }));
    const strip = (e: Evaluation) =>
      results(e).map(([where, name, r]) => [where, name, r.value, r.ci, r.ciAdjusted]);
    const a = strip(seven).flat(2);
    const b = strip(one).flat(2);
    expect(a.length).toBe(b.length);
    a.forEach((x, i) => {
      if (typeof x === "number") expect(Math.abs(x - (b[i] as number))).toBeLessThanOrEqual(1e-9);
      else expect(x).toEqual(b[i]);
    });
  });

  it("switch on Kish's effective count (Σw)²/Σw², not on the weighted total", () => {
    const d = rows(8000, 33);
    const route = (weights: Float64Array) =>
      evaluate(input(d, { bootstrap: 30, weights, metrics: ["roc_auc", "log_loss"] })).overall.intervals;
    // Equal weights of any size: the rows' own count decides, as without weights.
    expect(route(new Float64Array(8000).fill(2.5))).toBe("gaussian");
    expect(route(new Float64Array(8000).fill(0.01))).toBe("gaussian");
    // Ten rows carry almost all the weight: some 10 effective rows, bootstrapped.
    const heavy = new Float64Array(8000).fill(1);
    for (let i = 0; i < 10; i++) heavy[i * 800] = 1e6;
    expect(route(heavy)).toBe("bootstrap");
    // 400 rows weighing 1,000 each total 400,000 but are 400 rows: bootstrapped.
    const few = new Float64Array(8000);
    for (let i = 0; i < 400; i++) few[i * 20] = 1000;
    expect(route(few)).toBe("bootstrap");
  });
});
