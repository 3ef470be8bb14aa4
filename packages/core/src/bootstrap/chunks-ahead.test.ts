import { describe, expect, it } from "vitest";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { runChunksAhead, type WalkAhead } from "./chunks-ahead.js";
import { type InfluencePlan, runChunks } from "./influence-chunks.js";
import { INFLUENCE_METRICS, influenceMoments } from "./influence-moments.js";
import { chunkWalks } from "./rank-influence.js";
import { twoModelData } from "./two-models.test-helper.js";

/** Both models' moments of every group, one grouping per chunk (two chunks), through `run`. */
function moments(run: (plan: InfluencePlan) => void, weights?: Float64Array) {
  const d = twoModelData({ n: 1200, seed: 9, prevalence: 0.3, step: 0.05 });
  const passes = d.scores.map((s) =>
    prepareBinaryPass({ labels: d.labels, scores: s, groupIds: d.groupIds, groups: 3 }, 0.5),
  );
  const chunks: number[] = [];
  const result = influenceMoments(
    {
      models: passes.map((p) => p.data),
      labels: d.labels,
      scores: d.scores,
      threshold: 0.5,
      ...(weights ? { weights } : {}),
      metrics: [...INFLUENCE_METRICS],
      groups: [0, 1, 2],
      value: (m, g, name) => ((m + 2) * (g + 1) * name.length) / 101,
      rankBytes: 16 * 1200,
    },
    (plan) => {
      chunks.push(plan.chunks.length);
      run(plan);
    },
  );
  return { result, chunks };
}

/** Walks made at once, here (what a worker thread does while this thread waits for nothing). */
const walkHere: WalkAhead = (walk, rank) => {
  const squares = chunkWalks(walk, rank);
  return () => squares;
};

describe("runChunksAhead", () => {
  it("gives runChunks' moments bit for bit, the next chunk walked before this one's row pass", () => {
    for (const weights of [
      undefined,
      Float64Array.from({ length: 1200 }, (_, i) => (i % 7 === 0 ? 0 : 0.5 + (i % 3))),
    ]) {
      const plain = moments(runChunks, weights);
      expect(plain.chunks).toEqual([2]);
      const ahead = moments((plan) => runChunksAhead(plan, walkHere), weights);
      expect(ahead.result).toEqual(plain.result);
      expect(plain.result.get(1)!.covariance!.some((v) => v !== 0)).toBe(true);
    }
  });

  it("reads each chunk's own walks: a walk that writes nothing gives other moments", () => {
    const plain = moments(runChunks);
    const idle: WalkAhead = (walk) => () => walk.models.map(() => new Float64Array(2 * 3));
    const wrong = moments((plan) => runChunksAhead(plan, idle));
    expect(wrong.result.get(1)!.variance[0]).not.toEqual(plain.result.get(1)!.variance[0]);
  });
});
