import { describe, expect, it } from "vitest";
import { ECE_BINS, eceBin } from "../metrics/ece-bin.js";
import { chunkSums } from "./influence-sums.js";
import type { GroupSums, RowInfluenceRows } from "./row-influence.js";
import { twoModelData } from "./two-models.test-helper.js";

/** Rows of `twoModelData` (groups 0 = overall, 1 and 2 = slices) with sample weights, some 0. */
function rowsOf(n: number): RowInfluenceRows {
  const d = twoModelData({ n, seed: 5, prevalence: 0.3, step: 0.05 });
  const bin = new Uint8Array(2 * n);
  d.scores.forEach((s, m) => {
    for (let i = 0; i < n; i++) bin[m * n + i] = eceBin(s[i]!, ECE_BINS);
  });
  return {
    labels: d.labels,
    scores: d.scores,
    weights: Float64Array.from({ length: n }, (_, i) => [0, 0.5, 1, 2.5][i % 4]!),
    threshold: 0.5,
    costs: { tp: 0, fp: 0, fn: 0, tn: 0 },
    rowGroups: d.groupIds,
    bin,
    groups: 3,
    slot: [],
    iAuc: -1,
    iAp: -1,
  };
}

const emptySums = (wanted: number[]): GroupSums => ({
  count: new Float64Array(3),
  positives: new Float64Array(3),
  predicted: new Float64Array(2 * 3),
  gaps: new Float64Array(2 * 3 * ECE_BINS),
  gapVariance: new Float64Array(2 * 3 * ECE_BINS),
  wanted: Uint8Array.from([0, 1, 2], (g) => (wanted.includes(g) ? 1 : 0)),
});

describe("chunkSums", () => {
  it("gives each group the same sums whether its grouping is summed alone or with others", () => {
    const rows = rowsOf(501);
    const together = emptySums([0, 1, 2]);
    chunkSums(rows, [0, 1], together);
    const apart = emptySums([0, 1, 2]);
    chunkSums(rows, [1], apart);
    chunkSums(rows, [0], apart);
    expect(apart).toEqual(together);
  });

  it("sums every wanted group's weighted rows, positives, predicted positives and bin gaps in row order", () => {
    const rows = rowsOf(203);
    const sums = emptySums([0, 2]);
    chunkSums(rows, [0, 1], sums);
    const w = rows.weights!;
    for (const g of [0, 2]) {
      const ids = rows.rowGroups[g === 0 ? 0 : 1]!;
      let count = 0;
      let positives = 0;
      const predicted = [0, 0];
      const gaps = new Float64Array(2 * ECE_BINS);
      const gapVariance = new Float64Array(2 * ECE_BINS);
      for (let i = 0; i < 203; i++) {
        if (ids[i] !== g) continue;
        const y = rows.labels[i]!;
        count += w[i]!;
        positives += w[i]! * y;
        for (let m = 0; m < 2; m++) {
          const p = rows.scores[m]![i]!;
          if (p >= 0.5) predicted[m]! += w[i]!;
          const b = m * ECE_BINS + rows.bin[m * 203 + i]!;
          gaps[b]! += w[i]! * (y - p);
          gapVariance[b]! += (w[i]! * (y - p)) ** 2;
        }
      }
      expect(sums.count[g]).toBe(count);
      expect(sums.positives[g]).toBe(positives);
      for (let m = 0; m < 2; m++) {
        expect(sums.predicted[m * 3 + g]).toBe(predicted[m]);
        for (let b = 0; b < ECE_BINS; b++) {
          expect(sums.gaps[(m * 3 + g) * ECE_BINS + b]).toBe(gaps[m * ECE_BINS + b]);
          expect(sums.gapVariance[(m * 3 + g) * ECE_BINS + b]).toBeCloseTo(
            gapVariance[m * ECE_BINS + b]!,
            12,
          );
        }
      }
    }
    // Group 1 is not wanted: nothing summed.
    expect(sums.count[1]).toBe(0);
    expect(sums.gaps.slice(ECE_BINS, 2 * ECE_BINS).every((v) => v === 0)).toBe(true);
  });
});
