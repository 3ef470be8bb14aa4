import { describe, expect, it } from "vitest";
import { binaryPassFrom } from "../metrics/binary-pass.js";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { METRICS } from "../metrics/registry.js";
import type { Column } from "../table/column.js";
import { bootstrapMetrics } from "./bootstrap-metrics.js";
import { evaluate } from "./evaluate.js";
import { percentileInterval } from "./percentile-interval.js";
import { fillPoissonWeights, poissonWeight, seedMixedHashes } from "./poisson-weight.js";
import { rowIdHash } from "./row-hash.js";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function dataset(n: number, seed = 1) {
  const rnd = lcg(seed);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const other = new Float64Array(n);
  const regions = ["AE", "SA", "EG"];
  const region: string[] = [];
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.3 ? 1 : 0;
    scores[i] =
      Math.round(Math.min(1, Math.max(0, 0.3 + (labels[i]! - 0.3) * 0.5 + (rnd() - 0.5) * 0.6)) * 100) / 100;
    other[i] = Math.round(rnd() * 100) / 100;
    region.push(regions[Math.floor(rnd() * 3)]!);
  }
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`row-${i}`));
  const sliceColumns = new Map<string, Column>([
    ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
  ]);
  return { labels, scores, other, rowIds, sliceColumns };
}

describe("poissonWeight", () => {
  it("depends only on (row, seed, replicate): any sharding gives the same weights", () => {
    const hashes = Uint32Array.from({ length: 3000 }, (_, i) => rowIdHash(`id-${i}`));
    const whole = new Float64Array(hashes.length);
    fillPoissonWeights(hashes, 7, 5, whole);
    // Three shards in a shuffled order, each filling its own rows.
    const shards = [hashes.subarray(2000), hashes.subarray(0, 1000), hashes.subarray(1000, 2000)];
    const starts = [2000, 0, 1000];
    shards.forEach((shard, s) => {
      const part = new Float64Array(shard.length);
      fillPoissonWeights(shard, 7, 5, part);
      expect([...part]).toEqual([...whole.subarray(starts[s]!, starts[s]! + shard.length)]);
    });
    expect(whole[17]).toBe(poissonWeight(hashes[17]!, 7, 5));
    // From the seed-mixed hashes (computed once per evaluation), every weight is the same.
    const mixed = seedMixedHashes(hashes, 7);
    for (const replicate of [0, 5, 999]) {
      const fromMixed = new Uint8Array(hashes.length);
      fillPoissonWeights(mixed, 7, replicate, fromMixed, true);
      expect([...fromMixed].every((w, i) => w === poissonWeight(hashes[i]!, 7, replicate))).toBe(true);
    }
  });
  it("fills every weight as poissonWeight draws it, the rare large ones included (the lookup's slow ranges)", () => {
    const hashes = Uint32Array.from({ length: 100_000 }, (_, i) => rowIdHash(`w-${i}`));
    const filled = new Uint8Array(hashes.length);
    fillPoissonWeights(hashes, 3, 2, filled);
    const drawn = hashes.map((h) => poissonWeight(h, 3, 2));
    expect(filled.every((w, i) => w === drawn[i])).toBe(true);
    // Weights 2, 3, 4 and 5 each start inside one of the lookup's 256 ranges of u.
    for (const k of [2, 3, 4, 5]) expect(filled.includes(k)).toBe(true);
  });
  it("has Poisson(1) moments and changes with seed and replicate", () => {
    const hashes = Uint32Array.from({ length: 200_000 }, (_, i) => rowIdHash(String(i)));
    const w = new Float64Array(hashes.length);
    fillPoissonWeights(hashes, 1, 0, w);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
    const zeros = w.filter((v) => v === 0).length / w.length;
    // Standard errors at n = 200,000: mean 0.0022, variance ≈ 0.005, P(0) 0.0011.
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(Math.abs(zeros - Math.exp(-1))).toBeLessThan(0.005);
    const other = new Float64Array(hashes.length);
    fillPoissonWeights(hashes, 2, 0, other);
    const same = other.filter((v, i) => v === w[i]).length / w.length;
    expect(same).toBeLessThan(0.4); // independent draws agree with probability Σ p_k² ≈ 0.31
  });
});

describe("bootstrapMetrics", () => {
  it("gives the same replicates from a pass rebuilt from its shared arrays, and over split ranges", () => {
    // Scores on a 0.01 grid (ties), a 2-row group next to a large one: what a worker thread does.
    const d = dataset(1500, 9);
    const groupIds = [new Uint8Array(1500), Uint8Array.from({ length: 1500 }, (_, i) => (i < 2 ? 1 : 2))];
    const pass = prepareBinaryPass({ labels: d.labels, scores: d.scores, groupIds, groups: 3 }, 0.5);
    expect(pass.data?.order.buffer).toBeInstanceOf(SharedArrayBuffer);
    const job = {
      task: "binary" as const,
      metrics: ["roc_auc", "average_precision", "f1", "log_loss", "brier", "ece"] as const,
      groups: [0, 1, 2],
      rowHashes: d.rowIds,
      seed: 3,
    };
    const whole = bootstrapMetrics({ ...job, passes: [pass], from: 0, to: 40 })[0]!;
    const rebuilt = binaryPassFrom(pass.data!);
    const split = [0, 13, 40]
      .slice(1)
      .map((to, i) => bootstrapMetrics({ ...job, passes: [rebuilt], from: [0, 13][i]!, to })[0]!);
    const joined = new Float64Array(whole.length);
    joined.set(split[0]!);
    joined.set(split[1]!, split[0]!.length);
    expect(Array.from(joined, (v) => (Object.is(v, Number.NaN) ? "NaN" : v))).toEqual(
      Array.from(whole, (v) => (Object.is(v, Number.NaN) ? "NaN" : v)),
    );
    expect(whole.some((v) => Number.isNaN(v))).toBe(true); // the 2-row group is often one-class
  });
});

describe("percentileInterval", () => {
  it("interpolates like np.quantile and drops undefined replicates within the allowance", () => {
    // np.quantile([1,2,3,4,5,6,7,8,9,10], [0.025, 0.975]) == [1.225, 9.775]
    const ten = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    const { ci } = percentileInterval(ten, 0.95);
    expect(ci![0]).toBeCloseTo(1.225, 12);
    expect(ci![1]).toBeCloseTo(9.775, 12);
    expect(percentileInterval(Float64Array.of(1, 2, Number.NaN), 0.95).ci).toBeNull();
  });

  it("finds the same quantiles as sorting, with ties and undefined replicates, and leaves its input alone", () => {
    const sorted = (values: Float64Array, q: number) => {
      const s = values.filter((v) => !Number.isNaN(v)).sort();
      const h = (s.length - 1) * q;
      const lo = Math.floor(h);
      const a = s[lo]!;
      const b = s[Math.min(lo + 1, s.length - 1)]!;
      return a === b ? a : a + (b - a) * (h - lo);
    };
    const rnd = lcg(5);
    for (const [n, distinct] of [
      [1, 1],
      [2, 2],
      [7, 3],
      [1000, 1e9],
      [1000, 4],
      [999, 40],
      [1001, 2],
    ] as const) {
      const values = Float64Array.from({ length: n }, () =>
        n > 2 && rnd() < 0.01 ? Number.NaN : Math.floor(rnd() * distinct) / distinct - 0.5,
      );
      const before = values.slice();
      for (const confidence of [0.5, 0.9, 0.95]) {
        const { ci } = percentileInterval(values, confidence);
        expect(ci).toEqual([sorted(values, (1 - confidence) / 2), sorted(values, (1 + confidence) / 2)]);
      }
      expect(values).toEqual(before);
    }
  });
});

describe("evaluate", () => {
  const base = {
    task: "binary" as const,
    specs: ["region"],
    metrics: ["roc_auc", "average_precision", "f1", "log_loss", "brier", "ece", "accuracy"] as const,
    threshold: 0.5,
    minSliceSize: 30,
    seed: 7,
  };
  it("point values equal the standalone metrics, overall and per slice", () => {
    const d = dataset(900);
    const result = evaluate({ ...base, ...d, metrics: [...base.metrics], bootstrap: 0 });
    expect(result.overall.metrics.roc_auc!.value).toBe(METRICS.roc_auc.compute(d.labels, d.scores).value);
    expect(result.overall.metrics.roc_auc!.ci).toBeNull();
    const region = (d.sliceColumns.get("region") as { values: string[] }).values;
    for (const slice of result.slices) {
      const idx = region.flatMap((r, i) => (r === slice.key.region ? [i] : []));
      expect(slice.n).toBe(idx.length);
      for (const name of base.metrics) {
        const alone = METRICS[name].compute(
          idx.map((i) => d.labels[i]!),
          idx.map((i) => d.scores[i]!),
          { threshold: 0.5 },
        );
        expect(Math.abs(slice.metrics[name]!.value! - alone.value!)).toBeLessThan(1e-12);
      }
    }
  });
  it("is reproducible for a seed, and intervals contain the estimate and narrow with n", () => {
    const small = dataset(400);
    const a = evaluate({ ...base, ...small, metrics: [...base.metrics], bootstrap: 200 });
    const b = evaluate({ ...base, ...small, metrics: [...base.metrics], bootstrap: 200 });
    expect(a).toEqual(b);
    const c = evaluate({ ...base, ...small, metrics: [...base.metrics], bootstrap: 200, seed: 8 });
    expect(c.overall.metrics.roc_auc!.ci).not.toEqual(a.overall.metrics.roc_auc!.ci);
    for (const name of base.metrics) {
      const { value, ci } = a.overall.metrics[name]!;
      expect(ci![0]).toBeLessThanOrEqual(value!);
      expect(ci![1]).toBeGreaterThanOrEqual(value!);
    }
    const large = evaluate({ ...base, ...dataset(6400), metrics: [...base.metrics], bootstrap: 200 });
    const width = (r: typeof a) => r.overall.metrics.roc_auc!.ci![1] - r.overall.metrics.roc_auc!.ci![0];
    // Width scales like 1/√n: 16× the rows, about ¼ the width.
    expect(width(large)).toBeLessThan(width(a) / 2.5);
    expect(width(large)).toBeGreaterThan(width(a) / 6);
  });
  it("gives identical models a delta of exactly 0 with interval [0, 0]", () => {
    const d = dataset(500);
    const r = evaluate({
      ...base,
      ...d,
      metrics: [...base.metrics],
      baselineScores: d.scores.slice(),
      bootstrap: 100,
    });
    // ECE is never judged, so it has no simultaneous interval; the others' is degenerate too.
    const zero = (name: string) =>
      name === "ece" ? { value: 0, ci: [0, 0] } : { value: 0, ci: [0, 0], ciAdjusted: [0, 0] };
    for (const name of base.metrics) {
      expect(r.baseline!.overall.delta[name]).toEqual(zero(name));
      for (const slice of r.baseline!.slices) expect(slice.delta[name]).toEqual(zero(name));
    }
  });
  it("pairs the delta: its interval is narrower than the unpaired spread of two correlated models", () => {
    const d = dataset(2000);
    const nudged = d.scores.map((s, i) => Math.min(1, s + (d.labels[i]! === 1 ? 0.02 : 0)));
    const r = evaluate({
      ...base,
      ...d,
      scores: nudged,
      metrics: ["roc_auc"],
      baselineScores: d.scores,
      bootstrap: 200,
    });
    const delta = r.baseline!.overall.delta.roc_auc!;
    expect(delta.value!).toBeGreaterThan(0);
    expect(delta.ci![0]).toBeGreaterThan(0); // a uniform improvement is significant when paired
    const single = r.overall.metrics.roc_auc!.ci!;
    expect(delta.ci![1] - delta.ci![0]).toBeLessThan((single[1] - single[0]) / 2);
  });
  it("suppresses small slices and leaves one-class slices undefined with a reason", () => {
    const n = 120;
    const labels = Float64Array.from({ length: n }, (_, i) => (i < 60 ? i % 2 : 0));
    const scores = Float64Array.from({ length: n }, (_, i) => (i % 10) / 10);
    const group = Array.from({ length: n }, (_, i) => (i < 60 ? "mixed" : i < 100 ? "negatives" : "tiny"));
    const r = evaluate({
      ...base,
      labels,
      scores,
      rowIds: Uint32Array.from({ length: n }, (_, i) => i),
      sliceColumns: new Map([["g", { kind: "category", values: group, nulls: new Uint8Array(n) } as Column]]),
      specs: ["g"],
      metrics: ["roc_auc", "recall"],
      bootstrap: 50,
    });
    const byKey = Object.fromEntries(r.slices.map((s) => [s.key.g, s]));
    expect(byKey.tiny).toMatchObject({ n: "< 30", suppressed: true, metrics: {} });
    expect(byKey.negatives!.metrics.roc_auc).toMatchObject({ value: null, ci: null });
    expect(byKey.negatives!.metrics.roc_auc!.reason).toMatch(/one class/);
    expect(byKey.negatives!.metrics.recall!.value).toBe(0);
    expect(byKey.mixed!.metrics.roc_auc!.ci).not.toBeNull();
  });
  it("rejects labels outside the task's classes as a user error", () => {
    const d = dataset(10);
    d.labels[3] = 2;
    expect(() => evaluate({ ...base, ...d, metrics: ["roc_auc"], bootstrap: 0 })).toThrow(/evaluation.label/);
  });
  it("evaluates multiclass and regression models the same way", () => {
    const n = 300;
    const rnd = lcg(5);
    const labels = Float64Array.from({ length: n }, (_, i) => i % 3);
    const scores = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const raw = [rnd(), rnd(), rnd()];
      raw[labels[i]!]! += 0.6;
      const sum = raw.reduce((a, b) => a + b, 0);
      raw.forEach((v, c) => {
        scores[i * 3 + c] = v / sum;
      });
    }
    const common = {
      rowIds: Uint32Array.from({ length: n }, (_, i) => i),
      sliceColumns: new Map(),
      specs: [],
      bootstrap: 50,
    };
    const mc = evaluate({
      ...common,
      task: "multiclass",
      classes: 3,
      labels,
      scores,
      metrics: ["accuracy", "f1_macro", "log_loss"],
    });
    expect(mc.overall.metrics.f1_macro!.value).toBe(
      METRICS.f1_macro.compute(labels, scores, { classes: 3 }).value,
    );
    expect(mc.overall.metrics.accuracy!.ci).not.toBeNull();
    const predictions = labels.map((y) => y + rnd() - 0.5);
    const reg = evaluate({
      ...common,
      task: "regression",
      labels,
      scores: predictions,
      metrics: ["rmse", "r2"],
    });
    expect(reg.overall.metrics.r2!.value).toBeCloseTo(METRICS.r2.compute(labels, predictions).value!, 12);
    const { value, ci } = reg.overall.metrics.rmse!;
    expect(ci![0]).toBeLessThanOrEqual(value!);
    expect(ci![1]).toBeGreaterThanOrEqual(value!);
  });
});
