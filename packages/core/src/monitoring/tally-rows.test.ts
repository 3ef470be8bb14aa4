import { describe, expect, it } from "vitest";
import { logRowStarts } from "../drift/log-rows.js";
import { createRng } from "../random/rng.js";
import type { Batch, Column } from "../table/column.js";
import { createKpiTally } from "./kpi-tally.js";
import { HOUR, labelledBatch } from "./labelled-batch.test-helper.js";
import { createOperationsTally } from "./operations-tally.js";
import { createPredictionTally } from "./prediction-tally.js";

/** Rows over three hourly windows: scores, outcomes (some missing), latencies, error and KPI values. */
function logBatch(perHour: number): Batch {
  const rng = createRng("tally-rows");
  const hours = [0, 1, 2].map(() => ({
    predicted: Array.from({ length: perHour }, () => Math.round(rng.next() * 20) / 20),
    actual: Array.from({ length: perHour }, () => (rng.next() < 0.6 ? null : rng.next() < 0.3 ? 1 : 0)),
  }));
  const batch = labelledBatch(hours);
  const n = batch.length;
  const numbers = (draw: () => number): Column => ({
    kind: "number",
    values: Float64Array.from({ length: n }, draw),
    nulls: new Uint8Array(n),
  });
  batch.columns.set(
    "latency",
    numbers(() => 10 + 90 * rng.next()),
  );
  batch.columns.set(
    "error",
    numbers(() => (rng.next() < 0.1 ? 1 : 0)),
  );
  batch.columns.set(
    "spend",
    numbers(() => rng.next() * 3),
  );
  return batch;
}

function tallies() {
  const fields = { timestamp: "ts" };
  return {
    prediction: createPredictionTally({
      fields: { ...fields, score: "pred" },
      window: "1h",
      binary: { threshold: 0.5, lowConfidenceBelow: 0.6 },
      labelled: { outcome: "y", task: "binary", positive: 1, capacity: 40 },
    }),
    operations: createOperationsTally({
      fields: { ...fields, latency: "latency", error: "error" },
      window: "1h",
      file: "m.yml",
    }),
    kpis: createKpiTally({
      fields,
      window: "1h",
      file: "m.yml",
      kpis: [
        { name: "failed", field: "error", aggregate: "rate" },
        { name: "spend", field: "spend", aggregate: "mean" },
      ],
    }),
  };
}

describe("tallies given a segment's rows", () => {
  it("count only those rows, as if the others had no window (the same states, reservoirs included)", () => {
    const batch = logBatch(170);
    const { starts } = logRowStarts(batch, { fields: { timestamp: "ts" } }, HOUR);
    const rows = Uint32Array.from({ length: batch.length }, (_, i) => i).filter((i) => i % 3 !== 1);
    const masked = starts.map((s, i) => (i % 3 === 1 ? Number.NaN : s));
    const byRows = tallies();
    const byMask = tallies();
    for (const name of ["prediction", "operations", "kpis"] as const) {
      byRows[name].add(batch, starts, rows);
      byMask[name].add(batch, masked);
      expect(byRows[name].state()).toEqual(byMask[name].state());
    }
    // The subset is counted, not the batch: fewer rows than the whole batch gives.
    const all = tallies();
    all.operations.add(batch, starts);
    const counted = (s: { windows: { rows: number }[] }) => s.windows.reduce((sum, w) => sum + w.rows, 0);
    expect(counted(byRows.operations.state())).toBe(rows.length);
    expect(counted(all.operations.state())).toBe(batch.length);
    // A sample kept beyond capacity: the reservoir saw the same rows in the same order.
    expect(byRows.prediction.state().some((w) => (w.labelled?.seen ?? 0) > 40)).toBe(true);
  });
});

describe("the prediction and operations tallies", () => {
  it("count each window's rows when rows of different windows alternate, as window by window", () => {
    const batch = logBatch(170);
    const { starts: inOrder } = logRowStarts(batch, { fields: { timestamp: "ts" } }, HOUR);
    // Every row's window taken from another row's, so the windows switch on most rows.
    const starts = inOrder.map((_, i) => inOrder[(i * 7) % inOrder.length]!);
    const alternating = tallies();
    const byWindow = tallies();
    for (const name of ["prediction", "operations"] as const) {
      alternating[name].add(batch, starts);
      for (const start of new Set(starts))
        byWindow[name].add(
          batch,
          starts,
          Uint32Array.from(starts.keys()).filter((i) => starts[i] === start),
        );
      expect(alternating[name].state()).toEqual(byWindow[name].state());
    }
    expect(alternating.prediction.state()).toHaveLength(3);
    expect(alternating.prediction.state().every((w) => (w.labelled?.seen ?? 0) > 40)).toBe(true);
  });
});

describe("the KPI tally", () => {
  it("sums each window's rows when rows of different windows alternate", () => {
    const batch = logBatch(50);
    const { starts: inOrder } = logRowStarts(batch, { fields: { timestamp: "ts" } }, HOUR);
    // Every row's window taken from another row's, so the windows switch on most rows.
    const starts = inOrder.map((_, i) => inOrder[(i * 7) % inOrder.length]!);
    const kpis = tallies().kpis;
    kpis.add(batch, starts);
    const error = batch.columns.get("error")!.values as Float64Array;
    const spend = batch.columns.get("spend")!.values as Float64Array;
    const expected = [...new Set(starts)]
      .sort((a, b) => a - b)
      .map((start) => {
        const mine = [...starts.keys()].filter((i) => starts[i] === start);
        const sums = (values: ArrayLike<number>) => ({
          n: mine.length,
          sum: mine.reduce((s, i) => s + values[i]!, 0),
          sumSquares: mine.reduce((s, i) => s + values[i]! * values[i]!, 0),
        });
        return { start, rows: mine.length, kpis: { failed: sums(error), spend: sums(spend) } };
      });
    expect(kpis.state()).toEqual(expected);
  });
});
