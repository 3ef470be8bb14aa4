import { ECE_BINS } from "../metrics/ece-bin.js";
import type { GroupSums, RowInfluenceRows } from "./row-influence.js";

/**
 * Adds what each φ divides by or reads (see `influenceMoments`) for the groups of the groupings
 * `chunk` that `sums.wanted` marks: their rows and positives, each model's predicted positives and
 * ECE bin gaps G_b = Σ (yᵢ − pᵢ) with their variances Σ (wᵢ (yᵢ − pᵢ))², all weighted. Rows in input
 * order, so each group's sums are the same numbers whichever groupings share its chunk (each group
 * is in one grouping): the chunks of `runChunks` can each compute their own groups' sums, in any
 * thread, before their walks read them.
 *
 * @example
 * chunkSums(rows, [0, 1], sums); // sums.count[g], sums.positives[g], … for the groups of groupings 0 and 1
 */
export function chunkSums(rows: RowInfluenceRows, chunk: readonly number[], sums: GroupSums): void {
  const { labels, scores, weights, threshold, rowGroups, bin, groups } = rows;
  const { count, positives, predicted, gaps, gapVariance, wanted } = sums;
  const n = labels.length;
  const K = scores.length;
  const ids = chunk.map((j) => rowGroups[j]!);
  for (let i = 0; i < n; i++) {
    const y = labels[i] === 1 ? 1 : 0;
    const w = weights ? weights[i]! : 1;
    for (const grouping of ids) {
      const g = grouping[i]!;
      if (wanted[g] === 0) continue;
      count[g]! += w;
      positives[g]! += w * y;
      for (let m = 0; m < K; m++) {
        const p = scores[m]![i]!;
        if (p >= threshold) predicted[m * groups + g]! += w;
        const at = (m * groups + g) * ECE_BINS + bin[m * n + i]!;
        gaps[at]! += w * (y - p);
        gapVariance[at]! += w * w * (y - p) * (y - p);
      }
    }
  }
}
