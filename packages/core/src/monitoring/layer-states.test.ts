import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { encodeLayerStates, type LayerStates, mergeLayerStates, parseLayerStates } from "./layer-states.js";

const a: LayerStates = {
  operations: {
    windows: [{ start: 0, rows: 3, latencies: Float64Array.of(5, 9, 12), errorRows: 3, errors: 1 }],
    seen: { latency: true, error: false },
  },
  prediction: [{ start: 0, scored: 3, lowConfidence: 1, classes: { positive: 3 } }],
  kpis: [{ start: 0, rows: 3, kpis: { retained: { n: 2, sum: 1, sumSquares: 1 } } }],
  multivariate: [{ start: 0, rows: 3, sum: 2.5 }],
};
const b: LayerStates = {
  operations: {
    windows: [
      { start: 0, rows: 2, latencies: Float64Array.of(7, 9), errorRows: 0, errors: 0 },
      { start: 60, rows: 1, latencies: Float64Array.of(1), errorRows: 1, errors: 1 },
    ],
    seen: { latency: true, error: true },
  },
  prediction: [
    { start: 60, scored: 1, lowConfidence: 0, classes: { negative: 1 } },
    { start: 0, scored: 2, lowConfidence: 0, classes: { negative: 2 } },
  ],
  kpis: [{ start: 0, rows: 2, kpis: { retained: { n: 2, sum: 2, sumSquares: 2 } } }],
  multivariate: [{ start: 0, rows: 2, sum: 1 }],
};

describe("monitoring layer states of shards", () => {
  it("adds them window by window, latencies merged in order, windows of one shard kept", () => {
    const merged = mergeLayerStates([a, b]);
    expect(merged.operations).toEqual({
      windows: [
        { start: 0, rows: 5, latencies: Float64Array.of(5, 7, 9, 9, 12), errorRows: 3, errors: 1 },
        { start: 60, rows: 1, latencies: Float64Array.of(1), errorRows: 1, errors: 1 },
      ],
      seen: { latency: true, error: true },
    });
    expect(merged.prediction).toEqual([
      { start: 0, scored: 5, lowConfidence: 1, classes: { positive: 3, negative: 2 } },
      { start: 60, scored: 1, lowConfidence: 0, classes: { negative: 1 } },
    ]);
    expect(merged.kpis).toEqual([{ start: 0, rows: 5, kpis: { retained: { n: 4, sum: 3, sumSquares: 3 } } }]);
    expect(merged.multivariate).toEqual([{ start: 0, rows: 5, sum: 3.5 }]);
    // The inputs are left as they were.
    expect(a.prediction![0]!.classes).toEqual({ positive: 3 });
    // A layer no shard counted stays absent.
    expect(mergeLayerStates([{ prediction: [] }])).toEqual({ prediction: [] });
  });

  it("round-trips through a part's JSON and refuses counts that are not well formed", () => {
    const json = JSON.parse(JSON.stringify(encodeLayerStates(a)));
    expect(parseLayerStates(json, "drift.part-1-of-2.json")).toEqual(a);
    expect(parseLayerStates(undefined, "p.json")).toEqual({});
    const bad = { ...json, prediction: [{ start: 0, scored: 1.5, lowConfidence: 0, classes: {} }] };
    let error: unknown;
    try {
      parseLayerStates(bad, "drift.part-1-of-2.json");
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain("drift.part-1-of-2.json");
  });
});

describe("labelled predictions of multiclass and regression shards", () => {
  it("are joined per window and survive the part file, so the merge's realised metrics are one run's", () => {
    /** One window at 0 holding one labelled row, predicted `predicted`, truly `actual`. */
    const shard = (scored: number, predicted: string, actual: string): LayerStates => ({
      prediction: [
        {
          start: 0,
          scored,
          lowConfidence: 0,
          classes: { [predicted]: scored },
          labelled: { seen: 1, predicted: [predicted], actual: [actual] },
        },
      ],
    });
    const one = shard(2, "a", "b");
    const two = shard(1, "b", "b");
    const merged = mergeLayerStates([one, two]);
    expect(merged.prediction).toEqual([
      {
        start: 0,
        scored: 3,
        lowConfidence: 0,
        classes: { a: 2, b: 1 },
        labelled: { seen: 2, predicted: ["a", "b"], actual: ["b", "b"] },
      },
    ]);
    const parsed = parseLayerStates(
      JSON.parse(JSON.stringify(encodeLayerStates(merged))),
      "drift.part-1-of-2.json",
    );
    expect(parsed.prediction).toEqual(merged.prediction);
  });
});
