import { createLargestDifferences } from "./largest-differences.js";
import type { RequestDifference } from "./shadow-result.js";

/** A served value and the value it should have been, for one request. */
export type SkewValue = number | string | null;

/** Streams (served, expected) pairs of one quantity into mismatch counts. */
export interface ValueSkew {
  /** Compares one request's values; returns true when they differ. */
  add(id: string, served: SkewValue, expected: SkewValue): boolean;
  finish(): {
    n: number;
    mismatched: number;
    share: number | null;
    maxAbsDiff: number | null;
    largest: RequestDifference[];
  };
}

/**
 * Training-serving skew of one quantity (a feature, or a score replayed from the served features):
 * numbers differ when `|a − b| > tolerance · max(1, |a|, |b|)` (absolute near zero, relative for
 * large values, so a rounding in the log is not skew), text when it is not identical, and a value
 * present on one side only always differs. The `k` largest numeric differences keep their request
 * ids; a text or one-sided mismatch is kept with an infinite difference, ahead of numeric ones.
 *
 * @example
 * const skew = createValueSkew(1e-6);
 * skew.add("r1", 2048, 2); skew.add("r2", 3, 3);
 * skew.finish(); // { n: 2, mismatched: 1, share: 0.5, maxAbsDiff: 2046, largest: [{ id: "r1", a: 2048, b: 2, diff: 2046 }] }
 */
export function createValueSkew(tolerance: number, k = 5): ValueSkew {
  const largest = createLargestDifferences(k);
  let n = 0;
  let mismatched = 0;
  let maxAbsDiff: number | null = null;
  return {
    add(id, served, expected) {
      n++;
      const bothNumbers = typeof served === "number" && typeof expected === "number";
      let differs: boolean;
      let diff: number | null = null;
      if (bothNumbers) {
        if (Number.isNaN(served) && Number.isNaN(expected)) return false;
        diff = Math.abs(served - expected);
        differs = !(diff <= tolerance * Math.max(1, Math.abs(served), Math.abs(expected)));
        if (Number.isNaN(diff)) diff = null;
        else if (maxAbsDiff === null || diff > maxAbsDiff) maxAbsDiff = diff;
      } else {
        differs = served !== expected;
      }
      if (!differs) return false;
      mismatched++;
      largest.add(diff ?? Number.POSITIVE_INFINITY, () => ({ id, a: served, b: expected, diff }));
      return true;
    },
    finish() {
      return { n, mismatched, share: n > 0 ? mismatched / n : null, maxAbsDiff, largest: largest.finish() };
    },
  };
}
