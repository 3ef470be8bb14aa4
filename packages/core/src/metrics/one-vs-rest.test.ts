import { describe, expect, it } from "vitest";
import { evaluate } from "../bootstrap/evaluate.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import type { Column } from "../table/column.js";
import type { FairnessRequest } from "./fairness-gaps.js";
import { MT } from "./multiclass-pass.js";
import { oneVsRestFromTally } from "./one-vs-rest.js";

// A three-class model's one-vs-rest rates compared between regions: 900 seeded rows whose
// predicted class depends on the region, checked against the rates counted here row by row
// (scikit-learn's binary metrics on y == k against argmax == k).
const n = 900;
let state = 11;
const rnd = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 2 ** 32;
};
const regions = ["AE", "SA", "EG"];
const region = Array.from({ length: n }, (_, i) => regions[i % 3]!);
const labels = Float64Array.from({ length: n }, () => Math.floor(rnd() * 3));
const scores = new Float64Array(n * 3);
for (let i = 0; i < n; i++) {
  // Right more often in AE than in EG; the wrong guesses lean to class 2 in EG.
  const right = rnd() < [0.85, 0.7, 0.55][i % 3]!;
  const guess = right ? labels[i]! : i % 3 === 2 && rnd() < 0.7 ? 2 : Math.floor(rnd() * 3);
  for (let c = 0; c < 3; c++) scores[i * 3 + c] = c === guess ? 0.6 : 0.2;
}
const predicted = Array.from({ length: n }, (_, i) => {
  let best = 0;
  for (let c = 1; c < 3; c++) if (scores[i * 3 + c]! > scores[i * 3 + best]!) best = c;
  return best;
});

/** The rate of class k in one region, counted row by row. */
function rate(name: "selection_rate" | "recall" | "fpr", k: number, where: string): number {
  const rows = [...Array(n).keys()].filter((i) => region[i] === where);
  const of = (keep: (i: number) => boolean, hit: (i: number) => boolean) =>
    rows.filter(keep).filter(hit).length / rows.filter(keep).length;
  if (name === "selection_rate")
    return of(
      () => true,
      (i) => predicted[i] === k,
    );
  if (name === "recall")
    return of(
      (i) => labels[i] === k,
      (i) => predicted[i] === k,
    );
  return of(
    (i) => labels[i] !== k,
    (i) => predicted[i] === k,
  );
}
const spread = (values: number[]) => Math.max(...values) - Math.min(...values);

function run(requests: FairnessRequest[], bootstrap = 200) {
  return evaluate({
    task: "multiclass",
    classes: 3,
    labels,
    scores,
    rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`m-${i}`)),
    sliceColumns: new Map<string, Column>([
      ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
    ]),
    specs: ["region"],
    metrics: ["accuracy"],
    minSliceSize: 30,
    bootstrap,
    seed: 5,
    fairness: requests,
  }).fairness!;
}

describe("one-vs-rest fairness of a multiclass model", () => {
  const requests: FairnessRequest[] = [
    { across: "region", criterion: "equalized_odds", class: { index: 2, name: "c" } },
    { across: "region", criterion: "demographic_parity", class: { index: 0, name: "a" }, confidence: 0.95 },
    { across: "region", criterion: "accuracy" },
  ];
  const gaps = run(requests);

  it("compares one class's recall and false-positive rate between groups (equalized odds), as counted row by row", () => {
    const odds = gaps.find((g) => g.criterion === "equalized_odds")!;
    expect(odds.class).toBe("c");
    const recall = spread(regions.map((r) => rate("recall", 2, r)));
    const fpr = spread(regions.map((r) => rate("fpr", 2, r)));
    expect(odds.gap.value).toBeCloseTo(Math.max(recall, fpr), 12);
    expect(fpr).toBeGreaterThan(0.05); // EG's wrong guesses lean to class 2
    const ratios = ["recall", "fpr"].map((m) => {
      const values = regions.map((r) => rate(m as "recall" | "fpr", 2, r));
      return Math.min(...values) / Math.max(...values);
    });
    expect(odds.ratio.value).toBeCloseTo(Math.min(...ratios), 12);
    expect(odds.groups.sort()).toEqual(["AE", "EG", "SA"]);
    expect(odds.gap.ci![0]).toBeLessThanOrEqual(odds.gap.value!);
    expect(odds.gap.ci![1]).toBeGreaterThanOrEqual(odds.gap.value!);
    expect(odds.gap.ci![1] - odds.gap.ci![0]).toBeGreaterThan(0);
  });

  it("compares one class's selection rate (demographic parity), with its adjusted interval", () => {
    const parity = gaps.find((g) => g.criterion === "demographic_parity")!;
    expect(parity.class).toBe("a");
    expect(parity.gap.value).toBeCloseTo(spread(regions.map((r) => rate("selection_rate", 0, r))), 12);
    expect(parity.adjustment).toEqual({ method: "bonferroni", level: 0.95, family: 1, perInterval: 0.95 });
    expect(parity.gap.ciAdjusted).toEqual(parity.gap.ci);
  });

  it("keeps a rule on the task's own metric as before, without a class", () => {
    const accuracy = gaps.find((g) => g.criterion === "accuracy")!;
    expect(accuracy.class).toBeUndefined();
    const per = regions.map((r) => {
      const rows = [...Array(n).keys()].filter((i) => region[i] === r);
      return rows.filter((i) => predicted[i] === labels[i]).length / rows.length;
    });
    expect(accuracy.gap.value).toBeCloseTo(spread(per), 12);
  });

  it("gives no interval without replicates", () => {
    const [odds] = run(requests.slice(0, 1), 0);
    expect(odds!.gap.ci).toBeNull();
    expect(odds!.gap.value).not.toBeNull();
  });
});

describe("oneVsRestFromTally", () => {
  // One group: 10 rows, 4 of class 1, 5 predicted as it, 3 of them right.
  const tally = new Float64Array(MT.CLASS + 9);
  tally[MT.W] = 10;
  tally[MT.CLASS + 3] = 4;
  tally[MT.CLASS + 4] = 5;
  tally[MT.CLASS + 5] = 3;
  it("reads the selection rate, recall and false-positive rate of a class", () => {
    expect(oneVsRestFromTally("selection_rate", 1, tally, 0)).toEqual({ value: 0.5 });
    expect(oneVsRestFromTally("recall", 1, tally, 0)).toEqual({ value: 0.75 });
    expect(oneVsRestFromTally("fpr", 1, tally, 0)).toEqual({ value: 2 / 6 });
  });
  it("is undefined, with the reason, when a denominator is zero", () => {
    expect(oneVsRestFromTally("recall", 0, tally, 0)).toMatchObject({
      value: null,
      reason: expect.stringContaining("no row of the class"),
    });
    const all = new Float64Array(MT.CLASS + 9);
    all[MT.W] = 3;
    all[MT.CLASS] = 3;
    expect(oneVsRestFromTally("fpr", 0, all, 0)).toMatchObject({ value: null });
    expect(oneVsRestFromTally("selection_rate", 0, new Float64Array(MT.CLASS + 9), 0)).toMatchObject({
      value: null,
    });
  });
});
