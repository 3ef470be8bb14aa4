import { describe, expect, it } from "vitest";
import { mae } from "../metrics/mae.js";
import { rmse } from "../metrics/rmse.js";
import type { Profile } from "../profile/profile.js";
import { labelledBatch } from "./labelled-batch.test-helper.js";
import { encodeLayerStates, mergeLayerStates, parseLayerStates } from "./layer-states.js";
import { finishPrediction } from "./prediction-checks.js";
import {
  createPredictionTally,
  mergePredictionWindows,
  type PredictionWindowState,
} from "./prediction-tally.js";

/** `n` labelled rows of a regression model, the error of row i growing with `spread`; outcomes 100 + i (rows are traceable). */
function hourRows(n: number, spread: number, offset = 0) {
  const actual = Array.from({ length: n }, (_, i) => offset + 100 + i);
  const predicted = actual.map((y, i) => y + spread * Math.sin(i * 12.9898) + i / 1e6);
  return { predicted, actual };
}

const tallyOf = (capacity: number) =>
  createPredictionTally({
    fields: { timestamp: "ts", score: "pred" },
    window: "1h",
    labelled: { outcome: "y", task: "regression", capacity },
  });

const reference: Profile = { schema: "gauntlet/profile@1", rows: 0, chunkRows: 1000, columns: {} };

const none = { predicted: [], actual: [] };

/** Rows `from` to `to` of an hour's rows. */
const rowsOf = (rows: ReturnType<typeof hourRows>, from: number, to?: number) => ({
  predicted: rows.predicted.slice(from, to),
  actual: rows.actual.slice(from, to),
});

describe("the labelled sample of multiclass and regression prediction windows", () => {
  it("holds at most the capacity per window, counts every labelled row, and keeps only offered rows", () => {
    const big = hourRows(5000, 3);
    const small = hourRows(40, 3);
    const tally = tallyOf(200);
    for (let at = 0; at < 5000; at += 700) tally.add(labelledBatch([rowsOf(big, at, at + 700)]));
    // Hour 1: 40 labelled rows and 10 whose outcome has not arrived.
    tally.add(
      labelledBatch([
        none,
        {
          predicted: [...small.predicted, ...Array<number>(10).fill(7)],
          actual: [...small.actual, ...Array(10).fill(null)],
        },
      ]),
    );
    const [first, second] = tally.state();
    expect(first!.scored).toBe(5000);
    expect(first!.labelled!.seen).toBe(5000);
    expect(first!.labelled!.actual).toHaveLength(200);
    expect(first!.labelled!.predicted).toHaveLength(200);
    const offered = new Map(big.actual.map((y, i) => [y, big.predicted[i]]));
    for (const [i, y] of first!.labelled!.actual.entries()) {
      expect(offered.get(y as number)).toBe(first!.labelled!.predicted[i]);
    }
    expect(new Set(first!.labelled!.actual).size).toBe(200);
    // Under the capacity every labelled row is kept, in log order.
    expect(second!.scored).toBe(50);
    expect(second!.labelled).toEqual({ seen: 40, ...small });
  });

  it("keeps rows from the whole window, not its first rows (a uniform sample)", () => {
    const tally = tallyOf(500);
    tally.add(labelledBatch([hourRows(10_000, 1)]));
    const kept = tally.state()[0]!.labelled!.actual as number[];
    // Row i has outcome 100 + i: the kept rows' positions should average about half the window.
    const meanPosition = kept.reduce((sum, y) => sum + (y - 100), 0) / kept.length;
    // Uniform positions: mean 4,999.5, standard error 10,000 / √12 / √500 ≈ 129.
    expect(Math.abs(meanPosition - 4999.5)).toBeLessThan(5 * 129);
    expect(kept.filter((y) => y >= 5100).length).toBeGreaterThan(200);
  });

  it("merges shards into the single run's windows while they fit, through the part file", () => {
    const [calm, wild] = [hourRows(300, 2), hourRows(120, 5)];
    const single = tallyOf(1000);
    single.add(labelledBatch([calm, wild]));
    // Shards of contiguous rows: the concatenation of their kept rows is the single run's order.
    const shards = [
      labelledBatch([rowsOf(calm, 0, 130)]),
      labelledBatch([rowsOf(calm, 130), rowsOf(wild, 0, 10)]),
      labelledBatch([none, rowsOf(wild, 10)]),
    ].map((batch) => {
      const tally = tallyOf(1000);
      tally.add(batch);
      return { prediction: tally.state() };
    });
    const parsed = shards.map((s, i) =>
      parseLayerStates(JSON.parse(JSON.stringify(encodeLayerStates(s))), `drift.part-${i + 1}-of-3.json`),
    );
    expect(mergeLayerStates(parsed).prediction).toEqual(single.state());
  });

  it("merges shards beyond the capacity into one uniform sample of that size, of every shard's rows", () => {
    const capacity = 10;
    let fromFirst = 0;
    const windows = 300;
    for (let w = 0; w < windows; w++) {
      // Shard one saw 70 labelled rows of the window, shard two 30: a uniform sample draws 70% from one.
      const parts: PredictionWindowState[] = [70, 30].map((n, s) => {
        const tally = tallyOf(capacity);
        tally.add(labelledBatch([...Array<typeof none>(w).fill(none), hourRows(n, 1, 1000 * s)]));
        return tally.state()[0]!;
      });
      const [merged] = mergePredictionWindows(parts, capacity);
      expect(merged!.labelled!.seen).toBe(100);
      expect(merged!.labelled!.actual).toHaveLength(capacity);
      fromFirst += merged!.labelled!.actual.filter((y) => (y as number) < 1000).length;
    }
    // Hypergeometric share per window: mean 7, variance 10 · 0.7 · 0.3 · 90/99 ≈ 1.91.
    const expected = windows * capacity * 0.7;
    expect(Math.abs(fromFirst - expected)).toBeLessThan(5 * Math.sqrt(windows * 1.91));
  });

  it("reports realised metrics equal to the metric on the kept rows, and says they are a sample", () => {
    const tally = tallyOf(150);
    tally.add(labelledBatch([hourRows(100, 1), hourRows(2000, 6)]));
    const states = tally.state();
    const result = finishPrediction(states, {
      window: "1h",
      limits: { "min-labelled": 100, "min-rows": 30, realised: { mae: { max: 2 } } },
      performance: null,
      reference,
      score: "pred",
      task: "regression",
    });
    const [whole, sampled] = result.windows;
    expect(whole).toMatchObject({ labelled: 100 });
    expect(whole!.realisedSample).toBeUndefined();
    expect(sampled).toMatchObject({ scored: 2000, labelled: 2000, realisedSample: 150 });
    const kept = states[1]!.labelled!;
    const actual = kept.actual as number[];
    const predicted = kept.predicted as number[];
    expect(sampled!.realised!.mae!.value).toBeCloseTo(mae(actual, predicted).value!, 12);
    expect(sampled!.realised!.rmse!.value).toBeCloseTo(rmse(actual, predicted).value!, 12);
    const check = result.checks.find((c) => c.id === "realised-mae")!;
    expect(check.status).toBe("fail");
    expect(check.reason).toContain(
      "on a seeded sample of 150 of 2000 labelled rows in the window from 2025-06-01T01:00:00.000Z",
    );
  });
});

describe("a multiclass model's logged class read as a number", () => {
  // Hour 0: classes 0, 1, 2 logged as numbers, outcomes not arrived (null); hour 1: all class 2.
  const hours = [
    { predicted: [0, 0, 1, 2, 2, 2], actual: [null, null, null, null, null, null] },
    { predicted: [2, 2, 2, 2], actual: [null, null, null, null] },
  ];
  const multiclassTally = () =>
    createPredictionTally({ fields: { timestamp: "ts", score: "pred" }, window: "1h", task: "multiclass" });

  it("is counted in the class mix by its text, as evaluate matches labels to artefact.classes", () => {
    const tally = multiclassTally();
    tally.add(labelledBatch(hours));
    const [first, second] = tally.state();
    expect(first).toMatchObject({ scored: 6, classes: { "0": 2, "1": 1, "2": 3 } });
    expect(second).toMatchObject({ scored: 4, classes: { "2": 4 } });
  });

  it("shows the window and its class shift from a reference read from data (numeric classes)", () => {
    const tally = multiclassTally();
    tally.add(labelledBatch(hours));
    const values = Float64Array.from([0, 0, 1, 1, 2, 2].sort());
    const numericReference: Profile = {
      ...reference,
      columns: {
        pred: { kind: "number", count: 6, values } as unknown as Profile["columns"][string],
      },
    };
    const result = finishPrediction(tally.state(), {
      window: "1h",
      limits: { "min-labelled": 1, "min-rows": 1, "class-mix": { "max-shift": 0.5 } },
      performance: null,
      reference: numericReference,
      score: "pred",
      task: "multiclass",
    });
    expect(result.referenceMix?.shares).toEqual({ "0": 1 / 3, "1": 1 / 3, "2": 1 / 3 });
    const [shift0, shift1] = result.windows.map((w) => w.classShift!);
    expect(shift0).toBeCloseTo(1 / 6, 12);
    expect(shift1).toBeCloseTo(2 / 3, 12);
    expect(result.checks.find((c) => c.id === "class-mix")?.status).toBe("fail");
  });

  it("leaves a regression model's numeric predictions out of any class mix", () => {
    const tally = createPredictionTally({
      fields: { timestamp: "ts", score: "pred" },
      window: "1h",
      task: "regression",
    });
    tally.add(labelledBatch(hours));
    expect(tally.state()).toEqual([]);
    const labelled = createPredictionTally({
      fields: { timestamp: "ts", score: "pred" },
      window: "1h",
      task: "regression",
      labelled: { outcome: "y", task: "regression" },
    });
    labelled.add(labelledBatch(hours));
    expect(labelled.state().map((w) => [w.scored, w.classes])).toEqual([
      [6, {}],
      [4, {}],
    ]);
  });
});
