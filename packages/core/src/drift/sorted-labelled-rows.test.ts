import { describe, expect, it } from "vitest";
import { createRng } from "../random/rng.js";
import { sortedLabelledRows } from "./sorted-labelled-rows.js";

/** The definition: a stable comparator sort by score, then label. */
function plain(scores: number[], labels: number[]) {
  const order = scores.map((_, i) => i);
  order.sort((a, b) => scores[a]! - scores[b]! || labels[a]! - labels[b]!);
  return { scores: order.map((i) => scores[i]!), labels: order.map((i) => labels[i]!) };
}

/** Scores on a coarse grid (ties within and across classes), 0 and 1 included. */
function tiedRows(n: number, grid: number, seed: number) {
  const rng = createRng(seed);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    scores.push(Math.round(rng.next() * grid) / grid);
    labels.push(rng.next() < 0.2 ? 1 : 0);
  }
  return { scores, labels };
}

function expectSame(scores: number[], labels: number[]) {
  const got = sortedLabelledRows({ scores, labels });
  const want = plain(scores, labels);
  // Object.is: the sign of a zero and NaN count too.
  expect([...got.scores].every((v, i) => Object.is(v, want.scores[i]))).toBe(true);
  expect([...got.labels]).toEqual(want.labels);
}

describe("sortedLabelledRows", () => {
  it("orders by score, then label, as the comparator sort does", () => {
    const sorted = sortedLabelledRows({ scores: [0.9, 0.2, 0.2, 0.5], labels: [1, 1, 0, 0] });
    expect([...sorted.scores]).toEqual([0.2, 0.2, 0.5, 0.9]);
    expect([...sorted.labels]).toEqual([0, 1, 0, 1]);
  });

  it("gives the comparator sort's rows on tied scores, small and radix-sized, one class or none", () => {
    for (const [n, grid] of [
      [0, 10],
      [1, 10],
      [500, 10],
      [5_000, 1_000],
      [40_000, 20],
      [40_000, 1e9],
    ] as const) {
      const { scores, labels } = tiedRows(n, grid, n + grid);
      expectSame(scores, labels);
      expectSame(
        scores,
        labels.map(() => 1),
      );
      expectSame(
        scores,
        labels.map(() => 0),
      );
    }
  });

  it("takes the comparator sort itself for −0, NaN scores and labels other than 0 and 1", () => {
    const { scores, labels } = tiedRows(300, 10, 9);
    expectSame([...scores, -0, 0, -0], [...labels, 0, 0, 1]);
    expectSame([...scores, Number.NaN], [...labels, 1]);
    expectSame(scores, [...labels.slice(1), 2]);
    expectSame([0.5, -0, 0, -0], [0, 0, 0, 0]);
  });

  it("reads typed arrays as well as plain ones", () => {
    const sorted = sortedLabelledRows({ scores: Float64Array.of(0.7, 0.1), labels: Float64Array.of(0, 1) });
    expect([...sorted.scores]).toEqual([0.1, 0.7]);
    expect([...sorted.labels]).toEqual([1, 0]);
  });
});
