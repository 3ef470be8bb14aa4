import { describe, expect, it } from "vitest";
import { jensenShannonDistance } from "./jensen-shannon-distance.js";
import { normalizedWassersteinDistance } from "./normalized-wasserstein-distance.js";
import { PSI_EPSILON, psi } from "./psi.js";
import { wassersteinDistance } from "./wasserstein-distance.js";

const close = (actual: number | null, expected: number, tol = 1e-9) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
};

describe("wassersteinDistance", () => {
  it("matches scipy.stats.wasserstein_distance, with and without weights", () => {
    // scipy.stats.wasserstein_distance([3.4,3.9,7.5,7.8],[4.5,1.4],[1.4,0.9,3.1,7.2],[3.2,3.5])
    close(
      wassersteinDistance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]).value,
      4.078133143804786,
    );
    // scipy.stats.wasserstein_distance([0,1,3],[5,6,8])
    close(wassersteinDistance([0, 1, 3], [5, 6, 8]).value, 5);
    // scipy.stats.wasserstein_distance([1,1,2,5,5,5],[2,2,3,9],[1,2,3,0.5,0.5,1],[4,1,1,2])
    close(
      wassersteinDistance([1, 1, 2, 5, 5, 5], [2, 2, 3, 9], [1, 2, 3, 0.5, 0.5, 1], [4, 1, 1, 2]).value,
      1.5,
    );
  });

  it("returns null with a reason for an empty side or an infinite value", () => {
    expect(wassersteinDistance([], [1])).toEqual({ value: null, reason: "the first sample is empty" });
    expect(wassersteinDistance([1, Infinity], [1]).value).toBeNull();
  });
});

describe("normalizedWassersteinDistance", () => {
  it("reads as a shift in reference standard deviations", () => {
    // Reference [0, 2] has population std 1; the shift by 1 moves every unit of mass by 1.
    close(normalizedWassersteinDistance([0, 2], [1, 3]).value, 1);
    close(normalizedWassersteinDistance([0, 2], [10, 12], { scale: 2 }).value, 5);
  });

  it("is 0 for an unchanged constant and undefined for a changed one", () => {
    expect(normalizedWassersteinDistance([4, 4], [4]).value).toBe(0);
    expect(normalizedWassersteinDistance([4, 4], [5]).value).toBeNull();
  });
});

describe("jensenShannonDistance", () => {
  it("matches scipy.spatial.distance.jensenshannon", () => {
    // jensenshannon([1,0,0],[1,1,0],2), ([0.1,0.4,0.5],[0.3,0.3,0.4],2), ([10,20,30,0],[5,25,25,5],math.e)
    close(jensenShannonDistance([1, 0, 0], [1, 1, 0]).value, 0.5579230452841438);
    close(jensenShannonDistance([0.1, 0.4, 0.5], [0.3, 0.3, 0.4]).value, 0.21663402449519675);
    close(jensenShannonDistance([10, 20, 30, 0], [5, 25, 25, 5], Math.E).value, 0.2004405580979781);
    expect(jensenShannonDistance([3, 3, 3], [3, 3, 3]).value).toBe(0);
    expect(jensenShannonDistance([1, 0], [0, 1]).value).toBe(1);
  });

  it("returns null with a reason for an empty histogram", () => {
    expect(jensenShannonDistance([0, 0], [1, 1]).value).toBeNull();
  });
});

describe("psi", () => {
  it("matches the hand computation", () => {
    // (0.4 - 0.5)·ln(0.4/0.5) + (0.6 - 0.5)·ln(0.6/0.5)
    close(psi([50, 50], [40, 60]).value, -0.1 * Math.log(0.8) + 0.1 * Math.log(1.2), 1e-12);
    // proportions [0.2, 0.3, 0.5] vs [0.25, 0.25, 0.5]: 0.05·ln(1.25) - 0.05·ln(0.25/0.3)
    close(psi([2, 3, 5], [25, 25, 50]).value, 0.05 * Math.log(1.25) - 0.05 * Math.log(0.25 / 0.3), 1e-12);
    expect(psi([1, 2, 3], [10, 20, 30]).value).toBe(0);
  });

  it("floors empty bins at PSI_EPSILON", () => {
    // Expected [1, 0], actual [0.5, 0.5]: (0.5 - 1)·ln(0.5) + (0.5 - 1e-4)·ln(0.5 / 1e-4)
    const expected = -0.5 * Math.log(0.5) + (0.5 - PSI_EPSILON) * Math.log(0.5 / PSI_EPSILON);
    close(psi([10, 0], [5, 5]).value, expected, 1e-12);
  });

  it("returns null with a reason for an empty histogram", () => {
    expect(psi([1, 1], [0, 0])).toEqual({ value: null, reason: "the actual histogram is empty" });
  });
});
