import { describe, expect, it } from "vitest";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { SLOT, SLOTS } from "./influence-slots.js";
import { type GroupCounts, rankWalk } from "./rank-influence.js";
import { twoModelData } from "./two-models.test-helper.js";

/**
 * Both models' walks over `twoModelData` rows (scores on a 0.05 grid: ties of ~20 rows), paired
 * into one `rank` array as `runChunks` does (candidate set, baseline subtracted), with `blockRows`
 * rows kept in score order before they are moved to their input rows; a model whose sign is 0 is
 * not walked.
 */
function pairedWalks(
  n: number,
  weights: Float64Array | undefined,
  blockRows?: number,
  signs: readonly (1 | -1 | 0)[] = [1, -1],
) {
  const d = twoModelData({ n, seed: 17, prevalence: 0.35, step: 0.05 });
  const passes = d.scores.map((s) =>
    prepareBinaryPass({ labels: d.labels, scores: s, groupIds: d.groupIds, groups: 3 }, 0.5),
  );
  const counts: GroupCounts = {
    count: new Float64Array(3),
    positives: new Float64Array(3),
    wanted: Uint8Array.of(1, 1, 1),
  };
  for (let i = 0; i < n; i++)
    for (const ids of d.groupIds) {
      const w = weights ? weights[i]! : 1;
      counts.count[ids[i]!]! += w;
      counts.positives[ids[i]!]! += w * d.labels[i]!;
    }
  const rank = new Float64Array(2 * n * 2);
  const squares = passes.map((pass, m) => {
    const values = new Float64Array(3 * SLOTS);
    for (let g = 0; g < 3; g++) {
      values[g * SLOTS + SLOT.roc_auc] = 0.7 + 0.05 * m + 0.01 * g;
      values[g * SLOTS + SLOT.average_precision] = 0.5 - 0.03 * m + 0.02 * g;
    }
    const sign = signs[m]!;
    if (sign === 0) return new Float64Array(0);
    return rankWalk(
      pass.data!,
      [0, 1],
      counts,
      values,
      sign,
      rank,
      { auc: true, ap: true },
      weights,
      blockRows,
    );
  });
  return { rank, squares };
}

describe("rankWalk", () => {
  it.each([
    ["without sample weights", undefined],
    ["with sample weights, some 0", Float64Array.from({ length: 400 }, (_, i) => [0, 0.5, 1, 2.5][i % 4]!)],
  ])("writes the same influence by input row whatever rows it keeps in score order, %s", (_, weights) => {
    // One row (each row or tie moved as soon as walked: the scattered layout), blocks shorter and
    // longer than a tie, and every row moved at the end (the whole walk kept in score order).
    const scattered = pairedWalks(400, weights, 1);
    expect(scattered.rank.some((x) => x !== 0)).toBe(true);
    for (const blockRows of [3, 17, 64, 400, undefined]) {
      const walked = pairedWalks(400, weights, blockRows);
      expect(walked.rank).toEqual(scattered.rank);
      expect(walked.squares).toEqual(scattered.squares);
    }
  });

  it("subtracts the baseline's influence from the candidate's, entry by entry", () => {
    const paired = pairedWalks(400, undefined, 17).rank;
    const candidate = pairedWalks(400, undefined, 17, [1, 0]).rank;
    const baseline = pairedWalks(400, undefined, 17, [0, -1]).rank;
    expect(paired).toEqual(candidate.map((x, e) => x + baseline[e]!));
  });
});
