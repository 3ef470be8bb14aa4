import { describe, expect, it } from "vitest";
import { isotonicRegression } from "./isotonic-regression.js";

// Expected values from scikit-learn 1.2.1 (/usr/bin/python3), printed by this script:
//
// import json
// import numpy as np
// from sklearn.isotonic import IsotonicRegression
//
// rng = np.random.default_rng(14)
// cases = {}
// # Ties (x rounded to 0.1), noisy y, positive weights.
// x = np.round(rng.uniform(0, 2, 30), 1)
// y = np.round(np.sin(x) + rng.normal(0, 0.4, 30), 6)
// w = np.round(rng.uniform(0.2, 3, 30), 3)
// cases["weighted"] = (x, y, w)
// # Scores and 0/1 labels, as calibration sees them.
// s = np.round(rng.uniform(0, 1, 25), 4)
// l = (rng.uniform(0, 1, 25) < s ** 2).astype(float)
// cases["labels"] = (s, l, None)
// at = [-1.0, 0.0, 0.05, 0.33, 0.5, 0.77, 1.0, 1.7, 2.5]
// for name, (x, y, w) in cases.items():
//     fit = IsotonicRegression(out_of_bounds="clip").fit(x, y, sample_weight=w)
//     print(json.dumps({
//         "name": name,
//         "x": x.tolist(), "y": y.tolist(), "w": None if w is None else w.tolist(),
//         "fitted": fit.predict(x).tolist(),
//         "at": at, "predicted": fit.predict(at).tolist(),
//     }))
const SKLEARN = [
  {
    name: "weighted",
    x: [
      1.7, 0.7, 1.4, 1.7, 1.3, 1.1, 1.5, 1.4, 0.9, 1.1, 1.5, 0.1, 1.3, 1.5, 0.8, 1.0, 0.5, 1.3, 1.9, 0.6, 0.9,
      1.8, 1.1, 0.8, 1.3, 0.1, 0.3, 1.7, 0.3, 0.1,
    ],
    y: [
      1.305986, 0.635719, 0.586177, 0.962812, 0.560726, 1.2963, 0.986056, 1.326686, 0.337304, 1.538974,
      0.87707, 0.64594, 1.305179, 0.557117, 0.846618, 0.624491, 0.643171, 1.53655, 1.221768, 0.991817,
      0.314699, 1.055426, 1.034836, 1.152915, 0.715789, 0.327348, 0.467309, 0.381937, -0.120369, 0.277702,
    ],
    w: [
      1.505, 1.827, 2.994, 2.711, 0.604, 2.702, 0.769, 2.448, 2.08, 0.624, 0.35, 2.802, 0.214, 0.613, 2.929,
      2.152, 1.78, 1.47, 1.802, 1.496, 0.385, 0.845, 1.079, 1.589, 1.302, 2.221, 2.449, 2.352, 1.49, 1.299,
    ],
    fitted: [
      0.9785939478768919, 0.7323486088457217, 0.9785939478768919, 0.9785939478768919, 0.9785939478768919,
      0.9785939478768919, 0.9785939478768919, 0.9785939478768919, 0.7323486088457217, 0.9785939478768919,
      0.9785939478768919, 0.37645342724880615, 0.9785939478768919, 0.9785939478768919, 0.7323486088457217,
      0.7323486088457217, 0.643171, 0.9785939478768919, 1.221768, 0.7323486088457217, 0.7323486088457217,
      1.055426, 0.9785939478768919, 0.7323486088457217, 0.9785939478768919, 0.37645342724880615,
      0.37645342724880615, 0.9785939478768919, 0.37645342724880615, 0.37645342724880615,
    ],
    at: [-1.0, 0.0, 0.05, 0.33, 0.5, 0.77, 1.0, 1.7, 2.5],
    predicted: [
      0.37645342724880615, 0.37645342724880615, 0.37645342724880615, 0.4164610631614853, 0.643171,
      0.7323486088457217, 0.7323486088457217, 0.9785939478768919, 1.221768,
    ],
  },
  {
    name: "labels",
    x: [
      0.0232, 0.3535, 0.7871, 0.3494, 0.2858, 0.163, 0.6331, 0.5007, 0.0461, 0.2418, 0.0767, 0.1535, 0.2576,
      0.0752, 0.9892, 0.6338, 0.1179, 0.5257, 0.3968, 0.1937, 0.413, 0.5667, 0.0992, 0.9547, 0.4962,
    ],
    y: [
      0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0,
      0.0, 0.0, 1.0, 0.0,
    ],
    w: undefined,
    fitted: [
      0.0, 0.2857142857142857, 0.5, 0.2857142857142857, 0.2857142857142857, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0,
      0.2857142857142857, 0.0, 1.0, 0.5, 0.0, 0.5, 0.2857142857142857, 0.0, 0.2857142857142857, 0.5, 0.0, 1.0,
      0.2857142857142857,
    ],
    at: [-1.0, 0.0, 0.05, 0.33, 0.5, 0.77, 1.0, 1.7, 2.5],
    predicted: [0.0, 0.0, 0.0, 0.2857142857142857, 0.4666666666666655, 0.5, 1.0, 1.0, 1.0],
  },
];

describe("isotonicRegression", () => {
  for (const c of SKLEARN) {
    it(`matches sklearn.isotonic.IsotonicRegression on ${c.name} data to 1e-12`, () => {
      const fit = isotonicRegression(c.x, c.y, c.w);
      const fitted = c.x.map((v) => fit.predict(v));
      const predicted = c.at.map((v) => fit.predict(v));
      for (const [i, v] of fitted.entries()) expect(Math.abs(v - c.fitted[i]!)).toBeLessThan(1e-12);
      for (const [i, v] of predicted.entries()) expect(Math.abs(v - c.predicted[i]!)).toBeLessThan(1e-12);
      for (let i = 1; i < fit.y.length; i++) expect(fit.y[i]!).toBeGreaterThanOrEqual(fit.y[i - 1]!);
      // The sweep over many values gives predict's numbers, ascending or not, ties and ends included.
      const many = [...c.at, ...c.x, ...c.x.map((v) => v + 0.05)];
      const ascending = [...many].sort((a, b) => a - b);
      for (const values of [many, ascending])
        expect([...fit.predictAll(values)]).toEqual(values.map(fit.predict));
    });
  }

  it("pools a decreasing run into its weighted mean", () => {
    const fit = isotonicRegression([1, 2, 3, 4], [1, 3, 2, 4]);
    expect([...fit.y]).toEqual([1, 2.5, 2.5, 4]);
    expect(isotonicRegression([1, 2, 3], [3, 2, 1], [1, 1, 2]).y[0]).toBeCloseTo(7 / 4, 15);
  });

  it("defines its degenerate cases", () => {
    const empty = isotonicRegression([], []);
    expect(empty.x).toHaveLength(0);
    expect(empty.predict(0.5)).toBeNaN();
    // NaN coordinates and non-positive weights are left out.
    const kept = isotonicRegression([0, Number.NaN, 1, 2], [0, 5, 1, Number.NaN], [1, 1, 0, 1]);
    expect([...kept.x]).toEqual([0]);
    expect(kept.predict(7)).toBe(0);
    // One distinct input: the (weighted) mean everywhere.
    expect(isotonicRegression([2, 2], [0, 1], [1, 3]).predict(-5)).toBeCloseTo(0.75, 15);
    expect(() => isotonicRegression([1, 2], [1])).toThrow(RangeError);
  });
});
