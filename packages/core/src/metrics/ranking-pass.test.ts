import { describe, expect, it } from "vitest";
import { averagePrecision } from "./average-precision.js";
import { descendingOrder } from "./descending-order.js";
import { RANK, rankingSums } from "./ranking-pass.js";
import { rocAuc } from "./roc-auc.js";

describe("descendingOrder", () => {
  it("sorts by descending score, negatives and -0 included, ties by index", () => {
    const scores = [0.5, -1, 0, 2, 0.5, -0, -3.5, 1e-300];
    expect([...descendingOrder(scores)]).toEqual([3, 0, 4, 7, 2, 5, 1, 6]);
  });
});

describe("rankingSums", () => {
  it("gives every group the AUC and AP of its rows alone, with ties", () => {
    const labels = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
    const scores = [0.1, 0.4, 0.5, 0.8, 0.4, 0.4, 0.05, 0.9, 0.65, 0.65, 1.0, 0.0];
    // Group 0 holds every row; groups 1 and 2 split them by parity.
    const half = Uint32Array.from(labels, (_, i) => 1 + (i % 2));
    const t = rankingSums(labels, scores, [new Uint32Array(12), half], 3);
    expect(t[RANK.AUC]! / (t[RANK.POS]! * t[RANK.NEG]!)).toBeCloseTo(0.7638888888888888, 12);
    expect(t[RANK.AP]! / t[RANK.POS]!).toBeCloseTo(0.7666666666666666, 12);
    const odd = labels.flatMap((_, i) => (i % 2 ? [i] : []));
    const o = 2 * RANK.SIZE;
    const alone = (f: typeof rocAuc) =>
      f(
        odd.map((i) => labels[i]!),
        odd.map((i) => scores[i]!),
      ).value!;
    expect(t[o + RANK.AUC]! / (t[o + RANK.POS]! * t[o + RANK.NEG]!)).toBeCloseTo(alone(rocAuc), 12);
    expect(t[o + RANK.AP]! / t[o + RANK.POS]!).toBeCloseTo(alone(averagePrecision), 12);
  });
});
