import { describe, expect, it } from "vitest";
import { kolmogorovSf } from "./kolmogorov-sf.js";
import { ksTest } from "./ks-test.js";
import { ksTestFromCounts } from "./ks-test-from-counts.js";
import { smirnovSf } from "./smirnov-sf.js";
import { countValues } from "./weighted-sample.js";

/**
 * A deterministic, tie-rich test sample that Python computes bit for bit the same way, so SciPy
 * reference values can be produced from the same data:
 * `[math.floor((math.fmod(i*0.6180339887498949, 1) + math.fmod(i*0.4142135623730951, 1))*100)/100*scale + shift for i in range(1, n+1)]`.
 * Values lie in [0, 2) on a 0.01 grid (many ties), triangular-shaped.
 *
 * @example
 * testSequence(3); // [1.03, 1.06, 1.09]
 */
function seq(n: number, shift = 0, scale = 1): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    const u = ((i * 0.6180339887498949) % 1) + ((i * 0.4142135623730951) % 1);
    out.push((Math.floor(u * 100) / 100) * scale + shift);
  }
  return out;
}

const close = (actual: number | null, expected: number, rel = 1e-9) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);
};

// Reference values: scipy 1.10.1,
//   seq = lambda n, shift=0: [math.floor((math.fmod(i*0.6180339887498949,1)+math.fmod(i*0.4142135623730951,1))*100)/100+shift for i in range(1,n+1)]
//   r = scipy.stats.ks_2samp(a, b)   # method="auto"
//   (r.statistic, r.pvalue, r.statistic_location)
const cases: {
  name: string;
  a: number[];
  b: number[];
  stat: number;
  p: number;
  loc: number;
  method: string;
}[] = [
  {
    name: "exact, small",
    a: [1, 2, 3, 4, 5],
    b: [3.5, 6, 7, 8, 9],
    stat: 0.8,
    p: 0.07936507936507936,
    loc: 5,
    method: "exact",
  },
  {
    name: "exact, ties, unequal sizes",
    a: seq(37),
    b: seq(53, 0.1),
    stat: 0.20958694543600204,
    p: 0.24787567650792183,
    loc: 1.22,
    method: "exact",
  },
  {
    name: "exact, equal sizes, tiny p",
    a: seq(200),
    b: seq(200, 0.5),
    stat: 0.455,
    p: 4.908580954287128e-19,
    loc: 1.35,
    method: "exact",
  },
  {
    name: "exact, unequal sizes, tiny p",
    a: seq(1000),
    b: seq(700, 0.3),
    stat: 0.29614285714285715,
    p: 2.3784814156930584e-32,
    loc: 1.12,
    method: "exact",
  },
  { name: "exact, identical", a: seq(300), b: seq(300), stat: 0, p: 1, loc: 0.06, method: "exact" },
  {
    name: "asymptotic, moderate p",
    a: seq(12000),
    b: seq(9000, 0.02),
    stat: 0.028472222222222232,
    p: 0.0004687193229684836,
    loc: 0.95,
    method: "asymptotic",
  },
  {
    name: "asymptotic, small effective n",
    a: seq(20000),
    b: seq(30, 0.2),
    stat: 0.20355,
    p: 0.14448089328395464,
    loc: 1.22,
    method: "asymptotic",
  },
  {
    name: "asymptotic, tiny p",
    a: seq(15000),
    b: seq(12000, 0.15),
    stat: 0.1439166666666667,
    p: 5.808955270843494e-121,
    loc: 1.08,
    method: "asymptotic",
  },
];

describe("ksTest", () => {
  for (const c of cases) {
    it(`matches scipy.stats.ks_2samp: ${c.name}`, () => {
      const r = ksTest(c.a, c.b);
      if (r.statistic === null) throw new Error(r.reason);
      close(r.statistic, c.stat);
      close(r.pValue, c.p);
      expect(r.method).toBe(c.method);
      expect(r.location).toBe(c.loc);
    });
  }

  it("gives the same result from value counts as from the raw values", () => {
    const a = seq(500);
    const b = seq(400, 0.05);
    expect(ksTestFromCounts(countValues(a), countValues(b))).toEqual(ksTest(a, b));
  });

  it("uses the asymptotic distribution for non-integer (weighted) sizes", () => {
    const r = ksTestFromCounts(
      { values: [1, 2, 3], weights: [0.5, 0.25, 0.25] },
      { values: [2, 3], weights: [1, 1] },
      {
        sizes: [800.5, 600.5],
      },
    );
    expect(r).toMatchObject({ method: "asymptotic" });
    close(r.statistic, 0.5);
  });

  it("returns null with a reason for an empty sample, and skips NaN", () => {
    expect(ksTest([], [1, 2])).toEqual({
      statistic: null,
      pValue: null,
      reason: "the first sample is empty",
    });
    expect(ksTest([NaN, 1, 2], [1, 2]).statistic).toBe(0);
  });

  it("handles constant samples", () => {
    expect(ksTest([3, 3, 3], [3, 3]).pValue).toBe(1);
    close(ksTest([3, 3, 3], [4, 4]).statistic, 1);
  });
});

describe("kolmogorovSf", () => {
  // scipy.stats.kstwo.sf(d, n), one case per branch of Simard & L'Ecuyer's method selection.
  const branches: [number, number, number, string][] = [
    [10, 0.3, 0.27053557479999946, "Pomeranz"],
    [10, 0.2, 0.7487190399999999, "Durbin, n ≤ 140"],
    [100, 0.25, 5.408871776434847e-6, "2·smirnov, n ≤ 140"],
    [1000, 0.02, 0.8108971656895577, "Pelz–Good"],
    [1000, 0.01, 0.9999496745370611, "Durbin, n > 140"],
    [1000, 0.05, 0.013012074781090332, "2·smirnov, n > 140"],
    [5_000_000, 0.001, 9.07393454503348e-5, "2·smirnov, n > 10⁶ approximation"],
    [5_000_000, 0.0003, 0.7589778613140956, "Pelz–Good, large n"],
    [200, 0.004, 1, "Ruben–Gambino, nd ≤ 1"],
    [50, 0.99, 2.0000000000000889e-100, "Ruben–Gambino, nd ≥ n-1"],
    [10, 0.6, 0.0005681672000000003, "d ≥ 0.5"],
    [140, 0.1, 0.11353657290090946, "Pomeranz, n = 140"],
    [141, 0.1, 0.11128445516467944, "Pelz–Good, n = 141"],
    [120_000, 0.005, 0.0049408969337929685, "2·smirnov, n > 10⁵"],
  ];
  for (const [n, d, expected, branch] of branches) {
    it(`matches kstwo.sf(${d}, ${n}) (${branch})`, () => close(kolmogorovSf(n, d), expected));
  }
});

describe("smirnovSf", () => {
  it("matches scipy.special.smirnov", () => {
    // scipy.special.smirnov(5, 0.5), smirnov(5143, 0.028472222222222232), smirnov(2000, 0.04)
    close(smirnovSf(5, 0.5), 0.056);
    close(smirnovSf(5143, 0.028472222222222232), 0.0002343596614842418);
    close(smirnovSf(2000, 0.04), 0.0016152840480628072);
  });
});
