import { describe, expect, it } from "vitest";
import {
  type DriftState,
  encodeDriftState,
  mergeDriftStates,
  parseDriftState,
  stripChunks,
} from "../drift/drift-state.js";
import { finishDrift } from "../drift/finish-drift.js";
import type { Batch, Column } from "../table/column.js";
import { compareColumn } from "./compare-column.js";
import { prepareReferenceColumn } from "./compare-numeric.js";
import { createProfileBuilder } from "./create-profile-builder.js";
import type { DriftMethod } from "./drift-thresholds.js";
import { mergeAscending, mergeAscendingAll, mergeProfiles } from "./merge-profiles.js";
import type { NumericColumnProfile, Profile } from "./profile.js";

/*
 * Expected numbers: SciPy 1.10.1 on the same samples, generated once with /usr/bin/python3:
 *
 *   import numpy as np, json
 *   from scipy import stats
 *   from scipy.spatial.distance import jensenshannon
 *   def lcg(seed, n):
 *       s = seed; out = []
 *       for _ in range(n):
 *           s = (s * 48271) % 2147483647; out.append(s)
 *       return out
 *   def col(seed, n, f): return np.array([f(s) for s in lcg(seed, n)], dtype=float)
 *   cases = {
 *     "small": (col(11, 300, lambda s: (s % 10000) / 100), col(12, 200, lambda s: (s % 10000) / 100 + 3), [20, 40, 60, 80]),
 *     "large": (col(21, 20000, lambda s: ((s % 1000) + (s // 1000 % 1000)) / 10),
 *               col(22, 15000, lambda s: ((s % 1000) + (s // 1000 % 1000)) / 10 + 1.5), [50, 75, 100, 125, 150]),
 *     "ties": (col(31, 5000, lambda s: s % 7), col(32, 4000, lambda s: s % 8), [1, 2, 3, 5]),
 *   }
 *   for name, (r, c, edges) in cases.items():
 *       ks = stats.ks_2samp(r, c); w = stats.wasserstein_distance(r, c)
 *       rc = np.bincount(np.searchsorted(edges, r, side="left"), minlength=len(edges)+1)
 *       cc = np.bincount(np.searchsorted(edges, c, side="left"), minlength=len(edges)+1)
 *       pr = np.maximum(rc / rc.sum(), 1e-4); pc = np.maximum(cc / cc.sum(), 1e-4)
 *       chi = stats.chi2_contingency([rc, cc]); n = rc.sum() + cc.sum()
 *       print(name, ks.statistic, ks.pvalue, w, w / np.std(r), np.sum((pc - pr) * np.log(pc / pr)),
 *             jensenshannon(rc, cc, base=2), chi[1],
 *             np.sqrt(stats.chi2_contingency([rc, cc], correction=False)[0] / n))
 *   r = np.array(["abcde"[s % 5] for s in lcg(41, 3000)]); c = np.array(["abcdef"[s % 6] for s in lcg(42, 2000)])
 *   (the same for categories: counts per value, jensenshannon, chi2_contingency, PSI)
 */
const SCIPY = {
  small: {
    ks: 0.14166666666666666,
    ksP: 0.015044391703177697,
    wasserstein: 7.215599999999999,
    normalized: 0.2590252292560475,
    psi: 0.12397538459115666,
    js: 0.14846566897393276,
    chiP: 0.004501717363584079,
    cramersV: 0.1737714049118271,
  },
  large: {
    ks: 0.02695000000000003,
    ksP: 7.680789499560363e-6,
    wasserstein: 2.1792166666666666,
    normalized: 0.05336072267087526,
    psi: 0.0030221853678827812,
    js: 0.023342731075299827,
    chiP: 9.574751393949913e-5,
    cramersV: 0.02717258580990049,
  },
  ties: {
    ks: 0.121,
    ksP: 8.713091013198811e-29,
    wasserstein: 0.5024,
    normalized: 0.25300419087051457,
    psi: 0.07697524172856676,
    js: 0.11715600885777265,
    chiP: 5.2784370886731724e-36,
    cramersV: 0.13799500193345973,
  },
  categories: {
    js: 0.30819381339299023,
    chiP: 1.1524530785661038e-121,
    cramersV: 0.3386319494683129,
    psi: 1.3476730153231555,
  },
};

function lcg(seed: number, n: number): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 48271) % 2147483647;
    out.push(s);
  }
  return out;
}

const CASES = {
  small: {
    ref: lcg(11, 300).map((s) => (s % 10000) / 100),
    cur: lcg(12, 200).map((s) => (s % 10000) / 100 + 3),
    edges: [20, 40, 60, 80],
  },
  large: {
    ref: lcg(21, 20000).map((s) => ((s % 1000) + (Math.floor(s / 1000) % 1000)) / 10),
    cur: lcg(22, 15000).map((s) => ((s % 1000) + (Math.floor(s / 1000) % 1000)) / 10 + 1.5),
    edges: [50, 75, 100, 125, 150],
  },
  ties: { ref: lcg(31, 5000).map((s) => s % 7), cur: lcg(32, 4000).map((s) => s % 8), edges: [1, 2, 3, 5] },
};

function batchOf(columns: Record<string, Column>, length: number): Batch {
  return {
    source: "test",
    firstRow: 1,
    length,
    columns: new Map(Object.entries(columns)),
    invalid: new Map(),
  };
}

function numbers(values: readonly number[]): Column {
  return { kind: "number", values: Float64Array.from(values), nulls: new Uint8Array(values.length) };
}

/** Profiles `values` keeping them; with `edges`, counted on those bin edges (as promote's reference is). */
function exactProfile(values: readonly number[], edges?: number[], reference?: Profile): Profile {
  const builder = createProfileBuilder({ exactValues: 1_000_000, ...(reference ? { reference } : {}) });
  // Several batches, so keeping values across batches is exercised.
  for (let i = 0; i < values.length; i += 777)
    builder.add(batchOf({ x: numbers(values.slice(i, i + 777)) }, Math.min(777, values.length - i)));
  const profile = builder.finish();
  if (edges) {
    const column = profile.columns.x as NumericColumnProfile;
    column.bins = { edges, counts: edges.map(() => 0).concat(0), exact: false };
  }
  return profile;
}

function compare(ref: Profile, cur: Profile, method: DriftMethod) {
  return compareColumn(ref.columns.x!, cur.columns.x!, { column: "x", method, warn: 0.1, alert: 0.2 });
}

describe("drift statistics on kept values equal SciPy's on the same samples", () => {
  for (const [name, data] of Object.entries(CASES)) {
    const expected = SCIPY[name as keyof typeof CASES];
    const ref = exactProfile(data.ref, data.edges);
    const cur = exactProfile(data.cur, undefined, ref);

    it(`${name}: KS statistic and p-value (ks_2samp, method auto)`, () => {
      const drift = compare(ref, cur, "ks");
      expect(drift.score).toBeCloseTo(expected.ks, 9);
      expect(Math.abs(drift.pValue! - expected.ksP)).toBeLessThan(1e-9 * Math.max(1, expected.ksP));
      expect(drift.pValue! / expected.ksP).toBeCloseTo(1, 9);
      expect(drift.details.approximate).toBeUndefined();
    });

    it(`${name}: Wasserstein, raw and in reference standard deviations`, () => {
      const drift = compare(ref, cur, "wasserstein");
      expect(drift.score).toBeCloseTo(expected.normalized, 9);
      expect(drift.details.distance).toBeCloseTo(expected.wasserstein, 9);
    });

    it(`${name}: PSI, Jensen–Shannon and chi-square on the reference's bins`, () => {
      expect(compare(ref, cur, "psi").score).toBeCloseTo(expected.psi, 9);
      expect(compare(ref, cur, "jensen-shannon").score).toBeCloseTo(expected.js, 9);
      const chi = compare(ref, cur, "chi-square");
      expect(chi.score).toBeCloseTo(expected.cramersV, 9);
      expect(chi.pValue! / expected.chiP).toBeCloseTo(1, 9);
      expect(chi.details.approximate).toBeUndefined();
    });
  }

  it("categories: Jensen–Shannon, chi-square and PSI on the value counts", () => {
    const cats = (seed: number, n: number, letters: string): Column => ({
      kind: "category",
      values: lcg(seed, n).map((s) => letters[s % letters.length]!),
      nulls: new Uint8Array(n),
    });
    const profile = (column: Column, n: number) => {
      const b = createProfileBuilder({ exactValues: 1000 });
      b.add(batchOf({ x: column }, n));
      return b.finish();
    };
    const ref = profile(cats(41, 3000, "abcde"), 3000);
    const cur = profile(cats(42, 2000, "abcdef"), 2000);
    const expected = SCIPY.categories;
    expect(compare(ref, cur, "jensen-shannon").score).toBeCloseTo(expected.js, 9);
    expect(compare(ref, cur, "psi").score).toBeCloseTo(expected.psi, 9);
    const chi = compare(ref, cur, "chi-square");
    expect(chi.score).toBeCloseTo(expected.cramersV, 9);
    expect(chi.pValue! / expected.chiP).toBeCloseTo(1, 9);
  });

  it("a reference without values is compared on sketches, and says so with the error bound", () => {
    const { ref, cur } = CASES.large;
    const sketched = createProfileBuilder();
    sketched.add(batchOf({ x: numbers(ref) }, ref.length));
    const reference = sketched.finish();
    const current = exactProfile(cur, undefined, reference);
    const ks = compare(reference, current, "ks");
    expect(ks.details.approximate?.bound).toBeCloseTo(2 / 200, 12);
    expect(ks.details.approximate?.reason).toMatch(/reference quantile sketch/);
    // The bound holds: the sketched statistic is within it of SciPy's.
    expect(Math.abs(ks.score! - SCIPY.large.ks)).toBeLessThanOrEqual(ks.details.approximate!.bound!);
    const w = compare(reference, current, "wasserstein");
    expect(Math.abs(w.score! - SCIPY.large.normalized)).toBeLessThanOrEqual(w.details.approximate!.bound!);
  });

  it("a profile's values do not change when its builder goes on", () => {
    const b = createProfileBuilder({ exactValues: 100 });
    b.add(batchOf({ x: numbers([3, 1, 2]) }, 3));
    const first = b.finish().columns.x as NumericColumnProfile;
    b.add(batchOf({ x: numbers([0, 5]) }, 2));
    const second = b.finish().columns.x as NumericColumnProfile;
    expect([...first.values!]).toEqual([1, 2, 3]);
    expect([...second.values!]).toEqual([0, 1, 2, 3, 5]);
  });

  it("keeps every value across buffer growths and batches", () => {
    const values = lcg(7, 200_003).map((s) => s / 1000);
    const b = createProfileBuilder({ exactValues: 300_000 });
    for (let i = 0; i < values.length; i += 30_001) {
      const part = values.slice(i, i + 30_001);
      b.add(batchOf({ x: numbers(part) }, part.length));
    }
    const kept = (b.finish().columns.x as NumericColumnProfile).values!;
    expect(kept).toEqual(Float64Array.from(values).sort());
  });

  it("a column with more values than the limit keeps only its sketch", () => {
    const b = createProfileBuilder({ exactValues: 100 });
    b.add(batchOf({ x: numbers(CASES.small.ref) }, 300));
    expect((b.finish().columns.x as NumericColumnProfile).values).toBeUndefined();
  });
});

describe("prepareReferenceColumn", () => {
  it("leaves every method's comparison as a reference compared unprepared gives it", () => {
    for (const { ref, cur, edges } of Object.values(CASES)) {
      const current = exactProfile(cur);
      for (const prepared of ["auto", "ks", "psi"] as const) {
        const reference = exactProfile(ref, edges);
        prepareReferenceColumn(reference.columns.x as NumericColumnProfile, { method: prepared });
        for (const method of ["wasserstein", "ks", "psi", "jensen-shannon", "chi-square"] as const) {
          expect(compare(reference, current, method)).toEqual(
            compare(exactProfile(ref, edges), current, method),
          );
        }
      }
    }
  });
});

describe("a profile built without chunks", () => {
  it("is the profile with chunks, stripped of them", () => {
    const column = numbers(CASES.large.cur);
    const region: Column = {
      kind: "category",
      values: CASES.large.cur.map((v) => (v > 100 ? "high" : "low")),
      nulls: new Uint8Array(CASES.large.cur.length),
    };
    const build = (chunks: boolean) => {
      const b = createProfileBuilder({ exactValues: 100_000, chunks, chunkRows: 1000 });
      b.add(batchOf({ x: column, region }, CASES.large.cur.length));
      return b.finish();
    };
    expect(build(false)).toEqual(stripChunks(build(true)));
  });
});

describe("kept values merge exactly", () => {
  it("merged profiles hold both sides' values in order, so statistics equal one profile's", () => {
    const { ref, cur } = CASES.large;
    const reference = exactProfile(ref, CASES.large.edges);
    const whole = exactProfile(cur, undefined, reference);
    const halves = [cur.slice(0, 6000), cur.slice(6000)].map((h) => exactProfile(h, undefined, reference));
    const merged = mergeProfiles(halves[0]!, halves[1]!);
    expect((merged.columns.x as NumericColumnProfile).values).toEqual(
      (whole.columns.x as NumericColumnProfile).values,
    );
    for (const method of ["ks", "wasserstein", "psi"] as const) {
      expect(compare(reference, merged, method).score).toBe(compare(reference, whole, method).score);
    }
  });

  it("a drift state's values survive the part file's JSON and merge as one run's", () => {
    const reference = exactProfile(CASES.small.ref, CASES.small.edges);
    const state = (values: number[]): DriftState => ({
      schema: "gauntlet/drift-state@1",
      rows: { read: values.length, used: values.length, skipped: {}, otherVersions: {} },
      windows: [{ start: 0, profile: stripChunks(exactProfile(values, undefined, reference)), tally: null }],
      labelled: null,
    });
    const parts = [CASES.small.cur.slice(0, 50), CASES.small.cur.slice(50)].map((v) =>
      parseDriftState(JSON.parse(JSON.stringify(encodeDriftState(state(v)))), "part.json"),
    );
    const merged = mergeDriftStates(parts, { seed: "m" }).windows[0]!.profile;
    const ks = compare(reference, merged, "ks");
    expect(ks.score).toBeCloseTo(SCIPY.small.ks, 12);
    expect(ks.pValue! / SCIPY.small.ksP).toBeCloseTo(1, 9);
  });

  it("any number of sorted arrays merge into the sorted whole", () => {
    const runs = [5, 0, 1, 2, 3, 17].map((n, r) => Float64Array.from(lcg(100 + r, n), (s) => s % 13).sort());
    for (let k = 0; k <= runs.length; k++) {
      const parts = runs.slice(0, k);
      const whole = Float64Array.from(parts.flatMap((p) => [...p])).sort();
      expect(mergeAscendingAll(parts)).toEqual(whole);
    }
  });

  it("equal values, ±0 among them, come out in the order of their runs, as two-way merges give them", () => {
    // Runs of -0, 0 and a few ties (each sorted, -0 and 0 in either order), some ending early.
    const runs = [9, 4, 0, 12, 1, 7, 30].map((n, r) =>
      Float64Array.from(lcg(200 + r, n), (s) => [-0, 0, 1, -1][s % 4]!).sort(),
    );
    for (let k = 3; k <= runs.length; k++) {
      const parts = runs.slice(0, k);
      const expected = parts.slice(1).reduce((a: Float64Array, b) => mergeAscending(a, b), parts[0]!);
      const got = mergeAscendingAll(parts);
      expect(got.length).toBe(expected.length);
      expect(got.findIndex((v, i) => !Object.is(v, expected[i]))).toBe(-1);
    }
  });

  it("the whole period of several windows is compared on all their values, as SciPy on the one sample", () => {
    const { ref, cur, edges } = CASES.large;
    const reference = exactProfile(ref, edges);
    // Four windows of unequal size, each window's values sorted by its profile.
    const cuts = [0, 1000, 7000, 7001, cur.length];
    const windows = cuts.slice(1).map((end, w) => ({
      start: w * 86_400_000,
      profile: stripChunks(exactProfile(cur.slice(cuts[w], end), undefined, reference)),
      tally: null,
    }));
    for (const [method, score] of [
      ["ks", SCIPY.large.ks],
      ["wasserstein", SCIPY.large.normalized],
    ] as const) {
      const result = finishDrift(
        {
          model: { name: "m", version: "1" },
          reference,
          referenceSource: { kind: "data", location: "ref.csv", rows: ref.length },
          columns: ["x"],
          fields: { timestamp: "ts" },
          window: "1d",
          method,
        },
        {
          schema: "gauntlet/drift-state@1",
          rows: { read: cur.length, used: cur.length, skipped: {}, otherVersions: {} },
          windows,
          labelled: null,
        },
      );
      expect(result.windows).toHaveLength(4);
      expect(result.columns[0]!.score).toBeCloseTo(score, 9);
    }
  });

  it("a part whose values are not the column's values in order is refused", () => {
    const reference = exactProfile(CASES.small.ref, CASES.small.edges);
    const json = JSON.parse(
      JSON.stringify(
        encodeDriftState({
          schema: "gauntlet/drift-state@1",
          rows: { read: 3, used: 3, skipped: {}, otherVersions: {} },
          windows: [
            { start: 0, profile: stripChunks(exactProfile([3, 1, 2], undefined, reference)), tally: null },
          ],
          labelled: null,
        }),
      ),
    );
    json.windows[0].profile.columns.x.values = Buffer.from(Float64Array.of(3, 1, 2).buffer).toString(
      "base64",
    );
    expect(() => parseDriftState(json, "part.json")).toThrow(/not its 3 values in order/);
  });
});
