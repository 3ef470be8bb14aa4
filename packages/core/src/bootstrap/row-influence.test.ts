import { describe, expect, it } from "vitest";
import { FLOAT64_EPS } from "../metrics/binary-pass.js";
import { ECE_BINS, eceBin } from "../metrics/ece-bin.js";
import { createRng } from "../random/rng.js";
import { SLOT, SLOTS } from "./influence-slots.js";
import { chunkSums } from "./influence-sums.js";
import { type GroupSums, type RowInfluenceRows, rowMoments } from "./row-influence.js";
import { twoModelData } from "./two-models.test-helper.js";

const COSTS = { tp: 3, fp: -1, fn: -2, tn: 0.5 };

/** Rows of `twoModelData` (groups 0 = overall, 1 and 2 = slices), every slot's metric, AUC and AP from `rank`. */
function setup(n: number, options: { weights?: Float64Array; models?: number; slot?: number[] }) {
  const d = twoModelData({ n, seed: 17, prevalence: 0.3, step: 0.05 });
  const scores = d.scores.slice(0, options.models ?? 2);
  const K = scores.length;
  const bin = new Uint8Array(K * n);
  scores.forEach((s, m) => {
    for (let i = 0; i < n; i++) bin[m * n + i] = eceBin(s[i]!, ECE_BINS);
  });
  const slot = options.slot ?? Object.values(SLOT).slice().reverse();
  const rows: RowInfluenceRows = {
    labels: d.labels,
    scores,
    weights: options.weights,
    threshold: 0.5,
    costs: COSTS,
    rowGroups: d.groupIds,
    bin,
    groups: 3,
    slot,
    iAuc: slot.indexOf(SLOT.roc_auc),
    iAp: slot.indexOf(SLOT.average_precision),
  };
  const sums: GroupSums = {
    count: new Float64Array(3),
    positives: new Float64Array(3),
    predicted: new Float64Array(K * 3),
    gaps: new Float64Array(K * 3 * ECE_BINS),
    gapVariance: new Float64Array(K * 3 * ECE_BINS),
    wanted: Uint8Array.of(1, 0, 1),
  };
  chunkSums(rows, [0, 1], sums);
  // Metric values (one undefined: its φ is NaN, so ψ is 0) and AUC/AP changes (some exactly 0).
  const rng = createRng(3);
  const values = scores.map((_, m) =>
    Float64Array.from({ length: 3 * SLOTS }, (_, k) =>
      k === 2 * SLOTS + SLOT.brier && m === 1 ? NaN : rng.next(),
    ),
  );
  const rank = Float64Array.from({ length: 2 * 2 * n }, (_, k) => (k % 7 === 0 ? 0 : rng.next() - 0.5));
  return { rows, sums, values, rank };
}

/** The plain loop: every row in order, every ψ and product of changes added as it comes. */
function plainMoments(
  { rows, sums, values, rank }: ReturnType<typeof setup>,
  chunk: number[],
): { variance: Float64Array; covariance: Float64Array } {
  const { labels, scores, weights, rowGroups, bin, slot, iAuc, iAp } = rows;
  const { count, positives, predicted, gaps, wanted } = sums;
  const n = labels.length;
  const K = scores.length;
  const M = slot.length;
  const variance = new Float64Array(3 * K * M);
  const covariance = new Float64Array(3 * M * M);
  const outcome = [
    [COSTS.tn, COSTS.fp],
    [COSTS.fn, COSTS.tp],
  ];
  for (let i = 0; i < n; i++)
    chunk.forEach((j, c) => {
      const g = rowGroups[j]![i]!;
      if (wanted[g] === 0) return;
      const y = labels[i] === 1 ? 1 : 0;
      const w = weights ? weights[i]! : 1;
      const total = count[g]!;
      const delta = new Float64Array(M);
      for (let m = 0; m < K; m++) {
        const p = scores[m]![i]!;
        const d = p >= 0.5 ? 1 : 0;
        const v = (s: number) => values[m]![g * SLOTS + s]!;
        const P = positives[g]!;
        const PP = predicted[m * 3 + g]!;
        const q = Math.min(Math.max(y === 1 ? p : 1 - p, FLOAT64_EPS), 1 - FLOAT64_EPS);
        const gap = gaps[(m * 3 + g) * ECE_BINS + bin[m * n + i]!]!;
        const phi: Record<number, number> = {
          [SLOT.log_loss]: (-Math.log(q) - v(SLOT.log_loss)) / total,
          [SLOT.brier]: ((y - p) * (y - p) - v(SLOT.brier)) / total,
          [SLOT.accuracy]: ((d === y ? 1 : 0) - v(SLOT.accuracy)) / total,
          [SLOT.recall]: y === 1 ? (d - v(SLOT.recall)) / P : 0,
          [SLOT.precision]: d === 1 ? (y - v(SLOT.precision)) / PP : 0,
          [SLOT.f1]: (2 * y * d - v(SLOT.f1) * (y + d)) / (P + PP),
          [SLOT.ece]: (Math.sign(gap) * (y - p) - v(SLOT.ece)) / total,
          [SLOT.fpr]: y === 0 ? (d - v(SLOT.fpr)) / (total - P) : 0,
          [SLOT.selection_rate]: (d - v(SLOT.selection_rate)) / total,
          [SLOT.value]: (outcome[y]![d]! - v(SLOT.value)) / total,
        };
        slot.forEach((s, mi) => {
          if (mi === iAuc || mi === iAp) return;
          let x = w * phi[s]!;
          if (!Number.isFinite(x)) x = 0;
          variance[(g * K + m) * M + mi]! += x * x;
          delta[mi] = m === 0 ? x : delta[mi]! - x;
        });
      }
      if (K < 2) return;
      if (iAuc >= 0) delta[iAuc] = rank[(i * chunk.length + c) * 2]!;
      if (iAp >= 0) delta[iAp] = rank[(i * chunk.length + c) * 2 + 1]!;
      for (let a = 0; a < M; a++) {
        if (delta[a] === 0) continue;
        for (let b = a; b < M; b++) covariance[g * M * M + a * M + b]! += delta[a]! * delta[b]!;
      }
    });
  return { variance, covariance };
}

/** Both arrays' bytes, so that −0 and +0 (and NaN payloads) count as different. */
const bytes = (...arrays: Float64Array[]) => arrays.map((a) => Array.from(new Uint8Array(a.buffer)));

describe("rowMoments", () => {
  it.each([
    ["without sample weights", undefined, 2, false],
    [
      "with sample weights, some 0",
      Float64Array.from({ length: 240 }, (_, i) => [0, 0.5, 1, 2.5][i % 4]!),
      2,
      false,
    ],
    ["with changes that overflowed to ±∞ (∞ · 0 is NaN)", undefined, 2, true],
    ["with one model (no covariance)", undefined, 1, false],
  ])("makes the plain loop's sums bit for bit, %s", (_, weights, models, infinite) => {
    const input = setup(240, { ...(weights ? { weights } : {}), models });
    if (infinite)
      for (let k = 1; k < input.rank.length; k += 37) input.rank[k] = k % 2 === 0 ? Infinity : -Infinity;
    const K = input.rows.scores.length;
    const M = input.rows.slot.length;
    const variance = new Float64Array(3 * K * M);
    const covariance = new Float64Array(3 * M * M);
    rowMoments(input.rows, [0, 1], input.sums, input.values, input.rank, variance, covariance);
    const plain = plainMoments(input, [0, 1]);
    expect(bytes(variance, covariance)).toEqual(bytes(plain.variance, plain.covariance));
    // Group 1 is not wanted: nothing added.
    expect(variance.slice(K * M, 2 * K * M).every((v) => v === 0)).toBe(true);
    if (infinite) expect(covariance.some((v) => Number.isNaN(v))).toBe(true);
  });

  it("orders no metric set differently from the plain loop (count metrics alone, a few)", () => {
    for (const slot of [
      [SLOT.recall, SLOT.accuracy],
      [SLOT.precision],
      [SLOT.roc_auc, SLOT.f1, SLOT.log_loss],
    ]) {
      const input = setup(150, { slot });
      const M = slot.length;
      const variance = new Float64Array(3 * 2 * M);
      const covariance = new Float64Array(3 * M * M);
      rowMoments(input.rows, [0, 1], input.sums, input.values, input.rank, variance, covariance);
      const plain = plainMoments(input, [0, 1]);
      expect(bytes(variance, covariance)).toEqual(bytes(plain.variance, plain.covariance));
    }
  });
});
