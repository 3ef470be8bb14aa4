import { describe, expect, it } from "vitest";
import type { Batch, Column } from "../table/column.js";
import { binIndex, sortedBinCounts } from "./bins.js";
import { compareColumn } from "./compare-column.js";
import { createProfileBuilder, type ProfileBuilderOptions } from "./create-profile-builder.js";
import {
  createKllSketch,
  kllAddSorted,
  kllFromSorted,
  kllMerge,
  kllQuantile,
  kllRank,
  kllUpdate,
} from "./kll-sketch.js";
import { mergeProfiles } from "./merge-profiles.js";
import type { CategoricalColumnProfile, NumericColumnProfile, Profile } from "./profile.js";

/** Deterministic pseudo-normal values (sum of three golden-ratio sequences), mean ≈ 0, sd ≈ 1. */
function normalish(n: number, shift = 0, offset = 0): number[] {
  const out: number[] = [];
  for (let j = 1; j <= n; j++) {
    const i = j + offset;
    const u =
      ((i * 0.6180339887498949) % 1) + ((i * 0.4142135623730951) % 1) + ((i * 0.7320508075688772) % 1);
    out.push((u - 1.5) * 2 + shift);
  }
  return out;
}

function numberColumn(values: number[]): Column {
  const nulls = new Uint8Array(values.length);
  values.forEach((v, i) => {
    if (Number.isNaN(v)) nulls[i] = 1;
  });
  return { kind: "number", values: Float64Array.from(values), nulls };
}

function categoryColumn(values: (string | null)[]): Column {
  return {
    kind: "category",
    values: values.map((v) => v ?? ""),
    nulls: Uint8Array.from(values.map((v) => (v === null ? 1 : 0))),
  };
}

function batch(columns: Record<string, Column>, firstRow = 1): Batch {
  const length = Object.values(columns)[0]!.values.length;
  return {
    source: "test.csv",
    firstRow,
    length,
    columns: new Map(Object.entries(columns)),
    invalid: new Map(),
  };
}

function profileOf(batches: Batch[], options: ProfileBuilderOptions = {}): Profile {
  const builder = createProfileBuilder(options);
  for (const b of batches) builder.add(b);
  return builder.finish();
}

function slices(values: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

describe("KLL sketch", () => {
  it("keeps the rank error below 2/k across updates and merges", () => {
    for (const k of [64, 200]) {
      const n = 50_000;
      const values = Array.from({ length: n }, (_, i) => ((i * 0.6180339887498949) % 1) * 1000);
      const parts = [createKllSketch(k, 1), createKllSketch(k, 2), createKllSketch(k, 3)];
      values.forEach((v, i) => {
        kllUpdate(parts[i % 3]!, v);
      });
      const sketch = kllMerge(kllMerge(parts[0]!, parts[1]!), parts[2]!);
      expect(sketch.n).toBe(n);
      const sorted = [...values].sort((a, b) => a - b);
      for (let q = 1; q < 100; q++) {
        const index = Math.floor((q / 100) * n);
        expect(Math.abs(kllRank(sketch, sorted[index]!) - (index + 1)) / n).toBeLessThan(2 / k);
      }
      const size = sketch.levels.reduce((s, l) => s + l.length, 0);
      expect(size).toBeLessThan(3 * k);
      expect(kllQuantile(sketch, 0)).toBe(sorted[0]);
      expect(kllQuantile(sketch, 1)).toBe(sorted[n - 1]);
    }
  });

  it("made from sorted values, weighs them all and keeps every rank within 1/k, also after merges and updates", () => {
    for (const [k, n] of [
      [64, 50_000],
      [200, 12_345],
      [200, 199],
      [8, 1],
    ] as const) {
      const sorted = Array.from({ length: n }, (_, i) => ((i * 0.6180339887498949) % 1) * 1000).sort(
        (a, b) => a - b,
      );
      const sketch = kllFromSorted(sorted, k);
      expect(sketch.n).toBe(n);
      expect(sketch.levels.reduce((s, level, h) => s + level.length * 2 ** h, 0)).toBe(n);
      expect([sketch.min, sketch.max]).toEqual([sorted[0], sorted[n - 1]]);
      for (let q = 1; q < 100; q++) {
        const index = Math.floor((q / 100) * n);
        expect(Math.abs(kllRank(sketch, sorted[index]!) - (index + 1)) / n).toBeLessThanOrEqual(1 / k);
      }
      // A valid sketch: merging and updating keep the weights and the bound.
      const merged = kllMerge(sketch, kllFromSorted(sorted, k));
      for (const v of sorted) kllUpdate(merged, v);
      expect(merged.n).toBe(3 * n);
      expect(merged.levels.reduce((s, level, h) => s + level.length * 2 ** h, 0)).toBe(3 * n);
      const median = sorted[Math.floor(n / 2)]!;
      expect(Math.abs(kllRank(merged, median) / (3 * n) - (Math.floor(n / 2) + 1) / n)).toBeLessThan(2 / k);
    }
    expect(kllFromSorted([], 200)).toEqual(createKllSketch(200));
  });

  it("takes sorted blocks within the 2/k bound, on ties, a narrow range and blocks of every size", () => {
    // Awkward data: heavy ties (integers 0–9), a narrow range (1 ± 1e-9), and smooth values.
    const kinds: ((i: number) => number)[] = [
      (i) => Math.floor(((i * 0.6180339887498949) % 1) * 10),
      (i) => 1 + ((i * 0.4142135623730951) % 1) * 1e-9,
      (i) => normalish(1, 0, i)[0]!,
    ];
    for (const value of kinds) {
      for (const [k, n, size] of [
        [200, 100_000, 16_384],
        [200, 60_000, 1_000],
        [64, 30_000, 7],
        [200, 150, 16_384],
      ] as const) {
        const values = Array.from({ length: n }, (_, i) => value(i));
        const sketch = createKllSketch(k);
        for (let at = 0; at < n; at += size)
          kllAddSorted(sketch, Float64Array.from(values.slice(at, at + size)).sort());
        const sorted = [...values].sort((a, b) => a - b);
        expect(sketch.n).toBe(n);
        expect(sketch.levels.reduce((s, level, h) => s + level.length * 2 ** h, 0)).toBe(n);
        expect([sketch.min, sketch.max]).toEqual([sorted[0], sorted[n - 1]]);
        // Retained items stay under the levels' total capacity (k·(2/3)^depth, at least 8 each):
        // about 3k for k = 200, a little more for a small k on a tall sketch.
        const room = sketch.levels.reduce((s, _, d) => s + Math.max(8, Math.floor(k * (2 / 3) ** d)), 0);
        expect(sketch.levels.reduce((s, l) => s + l.length, 0)).toBeLessThan(room);
        if (k === 200) expect(sketch.levels.reduce((s, l) => s + l.length, 0)).toBeLessThan(3 * k);
        for (let q = 1; q < 100; q++) {
          const x = sorted[Math.floor((q / 100) * n)]!;
          // The exact rank of x: values ≤ x (ties counted).
          let rank = 0;
          while (rank < n && sorted[rank]! <= x) rank++;
          expect(Math.abs(kllRank(sketch, x) - rank) / n).toBeLessThan(2 / k);
        }
      }
    }
    const s = createKllSketch(200);
    kllAddSorted(s, new Float64Array(0));
    expect(s).toEqual(createKllSketch(200));
  });

  it("is deterministic", () => {
    const a = createKllSketch(16);
    const b = createKllSketch(16);
    for (let i = 0; i < 1000; i++) {
      kllUpdate(a, (i * 7) % 101);
      kllUpdate(b, (i * 7) % 101);
    }
    expect(a).toEqual(b);
  });
});

describe("createProfileBuilder and mergeProfiles", () => {
  const x = normalish(30_000);
  x[17] = NaN;
  x[200] = Infinity;
  const region = x.map((_, i) => (i % 97 === 0 ? null : ["AE", "SA", "EG", "JO"][i % 4]!));
  const batches = slices(x, 4_000).map((part, b) =>
    batch({
      x: numberColumn(part),
      region: categoryColumn(region.slice(b * 4_000, b * 4_000 + part.length)),
    }),
  );

  it("summarises numbers, categories and nulls exactly", () => {
    const p = profileOf(batches, { chunkRows: 5_000 });
    expect(p.schema).toBe("gauntlet/profile@1");
    expect(p.rows).toBe(30_000);
    const col = p.columns.x as NumericColumnProfile;
    const finite = x.filter((v) => Number.isFinite(v));
    const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
    const variance = finite.reduce((s, v) => s + (v - mean) ** 2, 0) / finite.length;
    expect(col).toMatchObject({ kind: "number", rows: 30_000, count: 29_998, nulls: 1, infinite: 1 });
    expect(col.mean!).toBeCloseTo(mean, 12);
    expect(col.std!).toBeCloseTo(Math.sqrt(variance), 12);
    expect(col.min).toBe(Math.min(...finite));
    expect(col.bins.counts.reduce((s, c) => s + c, 0)).toBe(29_998);
    expect(col.bins.edges.length).toBe(9);
    expect(col.chunks.length).toBe(6);
    const cat = p.columns.region as CategoricalColumnProfile;
    expect(cat.nulls).toBe(region.filter((r) => r === null).length);
    expect(cat.counts.AE! + cat.counts.SA! + cat.counts.EG! + cat.counts.JO!).toBe(cat.count);
    expect(JSON.parse(JSON.stringify(p))).toEqual(JSON.parse(JSON.stringify(p)));
  });

  it("merges to the profile of the concatenation", () => {
    const reference = profileOf(batches);
    const options = { reference, chunkRows: 5_000 };
    const whole = profileOf(batches, options);
    const merged = mergeProfiles(
      profileOf(batches.slice(0, 3), options),
      profileOf(batches.slice(3), options),
    );
    const w = whole.columns.x as NumericColumnProfile;
    const m = merged.columns.x as NumericColumnProfile;
    expect(merged.rows).toBe(whole.rows);
    expect(m).toMatchObject({ count: w.count, nulls: w.nulls, infinite: w.infinite, min: w.min, max: w.max });
    expect(m.bins).toEqual(w.bins);
    expect(m.bins.exact).toBe(true);
    expect(m.mean!).toBeCloseTo(w.mean!, 12);
    expect(m.m2).toBeCloseTo(w.m2, 6);
    // Quantiles within the documented sketch bound (2/k of the rows, k = 200).
    const sorted = x.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    for (const q of [0.1, 0.5, 0.9]) {
      const estimate = kllQuantile(m.sketch, q)!;
      const rank = sorted.filter((v) => v <= estimate).length;
      expect(Math.abs(rank / sorted.length - q)).toBeLessThan(2 / 200);
    }
    expect(merged.columns.region).toMatchObject({
      counts: (whole.columns.region as CategoricalColumnProfile).counts,
      nulls: whole.columns.region!.nulls,
    });
  });

  it("with sketchBlock, counts exactly as value by value, and its sketch stays within 2/k after every finish", () => {
    // The exact bins are counted from each sorted block: values on the reference's edges
    // (right-closed bins), −0 and 0, a NaN and an infinity must land as binIndex puts them.
    const values = normalish(70_000).map((v, i) => (i % 13 === 0 ? Math.round(v) : v));
    values[5] = Number.NaN;
    values[6] = Number.POSITIVE_INFINITY;
    values[7] = -0;
    values[40_000] = -0;
    values[40_001] = 0;
    const batches = slices(values, 2_000).map((part) => batch({ x: numberColumn(part) }));
    const reference = profileOf(batches.slice(0, 5));
    const plainBuilder = createProfileBuilder({ reference, chunks: false });
    const blockBuilder = createProfileBuilder({ reference, chunks: false, sketchBlock: 16_384 });
    const sorted: number[] = [];
    batches.forEach((b, i) => {
      plainBuilder.add(b);
      blockBuilder.add(b);
      for (const v of b.columns.get("x")!.values as Float64Array) if (Number.isFinite(v)) sorted.push(v);
      // A finish mid-stream (a sharded part's state) must not disturb what follows.
      if (i % 9 !== 4) return;
      sorted.sort((a, b) => a - b);
      const plain = plainBuilder.finish().columns.x as NumericColumnProfile;
      const blocked = blockBuilder.finish().columns.x as NumericColumnProfile;
      expect({ ...blocked, sketch: null }).toEqual({ ...plain, sketch: null });
      expect(blocked.sketch.n).toBe(sorted.length);
      expect([blocked.sketch.min, blocked.sketch.max]).toEqual([sorted[0], sorted[sorted.length - 1]]);
      for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
        const x = sorted[Math.floor(q * sorted.length)]!;
        const rank = sorted.filter((v) => v <= x).length;
        expect(Math.abs(kllRank(blocked.sketch, x) - rank) / sorted.length).toBeLessThan(2 / 200);
      }
    });
  });

  it("with deferSketch, keeps the same values and counts, and a sketch once values stop being kept", () => {
    const values = normalish(5_000);
    const batches = slices(values, 700).map((part) => batch({ x: numberColumn(part) }));
    const plain = profileOf(batches, { exactValues: 10_000 }).columns.x as NumericColumnProfile;
    const deferred = profileOf(batches, { exactValues: 10_000, deferSketch: true }).columns
      .x as NumericColumnProfile;
    expect(deferred.values).toEqual(plain.values);
    // Without a reference's edges the bins come from the sketch: equal-frequency within its bound.
    expect({ ...deferred, sketch: null, bins: null }).toEqual({ ...plain, sketch: null, bins: null });
    expect(deferred.bins.counts.reduce((a, b) => a + b, 0)).toBe(5_000);
    expect(deferred.sketch.n).toBe(5_000);
    // Over the limit: the sketch took every value in order, as the plain builder's did.
    const over = profileOf(batches, { exactValues: 3_000, deferSketch: true }).columns
      .x as NumericColumnProfile;
    const overPlain = profileOf(batches, { exactValues: 3_000 }).columns.x as NumericColumnProfile;
    expect(over.values).toBeUndefined();
    expect(over.sketch).toEqual(overPlain.sketch);
  });

  it("with deferSketch and a reference's edges, counts the bins as value by value, before and after values stop being kept", () => {
    // Values on the edges themselves (right-closed bins), −0 and 0, a NaN and an infinity.
    const values = normalish(6_000).map((v, i) => (i % 11 === 0 ? Math.round(v) : v));
    values[3] = -0;
    values[4] = Number.NaN;
    values[7] = Number.NEGATIVE_INFINITY;
    const batches = slices(values, 500).map((part) => batch({ x: numberColumn(part) }));
    const reference = profileOf(batches.slice(0, 3));
    for (const exactValues of [10_000, 2_600]) {
      const plain = createProfileBuilder({ reference, chunks: false, exactValues });
      const deferred = createProfileBuilder({ reference, chunks: false, exactValues, deferSketch: true });
      batches.forEach((b, i) => {
        plain.add(b);
        deferred.add(b);
        // A finish mid-stream (a sharded part's state) must not disturb what follows.
        if (i % 4 !== 1) return;
        const bins = (p: Profile) => (p.columns.x as NumericColumnProfile).bins;
        expect(bins(deferred.finish())).toEqual(bins(plain.finish()));
      });
    }
  });

  it("sortedBinCounts counts ascending values in binIndex's bins", () => {
    const values = Float64Array.from(
      normalish(3_000).map((v, i) => (i % 7 === 0 ? Math.round(v) : v)),
    ).sort();
    for (const edges of [[-1, 0, 1], [0], [-5], [5], [-1, -0.5, 2], []]) {
      const counts = new Array<number>(edges.length + 1).fill(0);
      for (const v of values) counts[binIndex(edges, v)]! += 1;
      expect(sortedBinCounts(values, edges)).toEqual(counts);
    }
    expect(sortedBinCounts(new Float64Array(0), [1])).toEqual([0, 0]);
  });

  it("counts a column missing from some batches as null there", () => {
    const p = profileOf([batch({ a: numberColumn([1, 2]) }), batch({ b: numberColumn([3, 4, 5]) })]);
    expect(p.columns.a).toMatchObject({ rows: 5, count: 2, nulls: 3 });
    expect(p.columns.b).toMatchObject({ rows: 5, count: 3, nulls: 2 });
  });

  it("caps categories, keeping the most frequent", () => {
    const values = Array.from({ length: 500 }, (_, i) => (i < 300 ? "common" : `rare-${i}`));
    const p = profileOf([batch({ c: categoryColumn(values) })], { maxCategories: 10 });
    const c = p.columns.c as CategoricalColumnProfile;
    expect(Object.keys(c.counts)).toHaveLength(10);
    expect(c.counts.common).toBe(300);
    expect(c.other).toBe(191);
  });

  it("rejects a column whose kind changes between batches", () => {
    const builder = createProfileBuilder();
    builder.add(batch({ a: numberColumn([1]) }));
    expect(() => builder.add(batch({ a: categoryColumn(["x"]) }))).toThrow(
      /column is category here but number/,
    );
  });
});

describe("compareColumn", () => {
  const referenceValues = normalish(40_000);
  const reference = profileOf(
    slices(referenceValues, 5_000).map((v) => batch({ x: numberColumn(v) })),
    {
      chunkRows: 5_000,
    },
  );
  const current = (values: number[]) =>
    profileOf([batch({ x: numberColumn(values) })], { reference }).columns.x!;

  it("is ok for data from the same distribution and alerts on a shift", () => {
    const same = compareColumn(reference.columns.x!, current(normalish(20_000, 0, 40_000)), { column: "x" });
    expect(same).toMatchObject({ column: "x", kind: "number", method: "wasserstein", level: "ok" });
    expect(same.details.thresholds!.source).toBe("reference chunks");
    const shifted = compareColumn(reference.columns.x!, current(normalish(20_000, 0.5, 40_000)), {
      column: "x",
    });
    expect(shifted.level).toBe("alert");
    expect(shifted.score!).toBeGreaterThan(0.4);
    expect(shifted.reason).toMatch(/^wasserstein .* ≥ alert/);
  });

  it("scores every method, with p-values reported for tests only", () => {
    const cur = current(normalish(20_000, 0.5, 40_000));
    for (const method of ["psi", "ks", "jensen-shannon", "chi-square"] as const) {
      const r = compareColumn(reference.columns.x!, cur, { method });
      expect(r.method).toBe(method);
      expect(r.level).toBe("alert");
      if (method === "ks" || method === "chi-square") expect(r.pValue!).toBeLessThan(1e-10);
      else expect(r.pValue).toBeNull();
    }
    const given = compareColumn(reference.columns.x!, cur, { method: "psi", warn: 100, alert: 200 });
    expect(given.level).toBe("ok");
    expect(given.details.thresholds).toEqual({ warn: 100, alert: 200, source: "options" });
  });

  it("reports no data for an empty current sample", () => {
    const empty = profileOf([batch({ x: numberColumn([]) })]);
    const r = compareColumn(reference.columns.x!, empty.columns.x!);
    expect(r.level).toBe("no data");
    expect(r.score).toBeNull();
  });

  it("alerts when every current value is null", () => {
    const r = compareColumn(reference.columns.x!, current([NaN, NaN, NaN]));
    expect(r.level).toBe("alert");
    expect(r.reason).toMatch(/null rate 0% → 100%/);
  });

  it("handles a constant reference", () => {
    const constant = profileOf([batch({ x: numberColumn(new Array(1000).fill(3)) })]);
    const same = profileOf([batch({ x: numberColumn(new Array(50).fill(3)) })], { reference: constant });
    const moved = profileOf([batch({ x: numberColumn(new Array(50).fill(4)) })], { reference: constant });
    expect(compareColumn(constant.columns.x!, same.columns.x!)).toMatchObject({
      method: "psi",
      score: 0,
      level: "ok",
    });
    expect(compareColumn(constant.columns.x!, moved.columns.x!)).toMatchObject({
      method: "psi",
      level: "alert",
    });
    expect(compareColumn(constant.columns.x!, moved.columns.x!, { method: "wasserstein" })).toMatchObject({
      score: null,
      level: "alert",
    });
  });

  it("compares categories with Jensen–Shannon and reports unseen ones", () => {
    const values = (n: number, shift: number) =>
      Array.from({ length: n }, (_, i) => ["AE", "SA", "EG", "JO"][(i + Math.floor(i / 7) * shift) % 4]!);
    const ref = profileOf(
      slices(values(8000, 0) as never, 1000).map((v) => batch({ r: categoryColumn(v as never) })),
      {
        chunkRows: 1000,
      },
    );
    const cur = profileOf([batch({ r: categoryColumn([...values(950, 0), ...new Array(50).fill("QA")]) })]);
    const r = compareColumn(ref.columns.r!, cur.columns.r!, { column: "r" });
    expect(r.method).toBe("jensen-shannon");
    expect(r.details.unseenShare!.value).toBeCloseTo(0.05, 12);
    expect(r.level).toBe("alert");
    expect(r.details.unseenShare!.level).toBe("alert");
    const same = compareColumn(
      ref.columns.r!,
      profileOf([batch({ r: categoryColumn(values(1000, 0)) })]).columns.r!,
    );
    expect(same.level).toBe("ok");
    const ks = compareColumn(ref.columns.r!, cur.columns.r!, { method: "ks" });
    expect(ks.reason).toMatch(/^ks does not apply to categories, used jensen-shannon/);
  });

  it("does not score timestamps", () => {
    const ts: Column = { kind: "timestamp", values: Float64Array.from([1, 2]), nulls: new Uint8Array(2) };
    const p = profileOf([batch({ t: ts })]);
    expect(compareColumn(p.columns.t!, p.columns.t!)).toMatchObject({ method: null, level: "ok" });
  });
});
