import { describe, expect, it } from "vitest";
import { bootstrapMetrics } from "../bootstrap/bootstrap-metrics.js";
import { evaluate } from "../bootstrap/evaluate.js";
import { percentileInterval } from "../bootstrap/percentile-interval.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { customMetricsOf } from "../manifest/schema-operating.js";
import type { Column } from "../table/column.js";
import { prepareBinaryPass } from "./prepare-binary-pass.js";
import { METRICS } from "./registry.js";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const n = 300;
const rnd = lcg(9);
const labels = Float64Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
const scores = labels.map(
  (y) => Math.round(Math.min(1, Math.max(0, 0.3 + 0.3 * y + (rnd() - 0.5) * 0.6)) * 50) / 50,
);
const baselineScores = labels.map(
  (y) => Math.round(Math.min(1, Math.max(0, 0.35 + 0.2 * y + (rnd() - 0.5) * 0.7)) * 50) / 50,
);
const region = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? "AE" : i % 3 === 1 ? "SA" : "QA"));
const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`row-${i}`));
const custom = customMetricsOf(
  {
    "custom-metrics": {
      f1_by_hand: { from: "counts", expression: "2 * tp / (2 * tp + fp + fn)", direction: "higher" },
      net_value: { from: "counts", expression: "(tp * 120 - fp * 15 - fn * 120) / n", direction: "higher" },
      squared_error: { from: "rows", expression: "(label - score) ^ 2", direction: "lower" },
    },
  },
  "binary",
);

function run(bootstrap: number) {
  return evaluate({
    task: "binary",
    labels,
    scores,
    baselineScores,
    rowIds,
    sliceColumns: new Map<string, Column>([
      ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
    ]),
    specs: ["region"],
    metrics: ["f1", "brier"],
    minSliceSize: 30,
    bootstrap,
    seed: 4,
    custom,
  });
}

describe("custom metrics", () => {
  const result = run(300);
  it("a counts expression equals the built-in metric it spells, overall and per slice", () => {
    const own = result.overall.metrics as Record<
      string,
      { value: number | null; ci: [number, number] | null }
    >;
    expect(own.f1_by_hand!.value).toBeCloseTo(result.overall.metrics.f1!.value!, 12);
    for (const slice of result.slices) {
      const m = slice.metrics as Record<string, { value: number | null }>;
      expect(m.f1_by_hand!.value).toBeCloseTo(slice.metrics.f1!.value!, 12);
    }
    // The cost expression from the confusion counts at the threshold, recomputed here.
    const pred = scores.map((s) => (s >= 0.5 ? 1 : 0));
    let tp = 0;
    let fp = 0;
    let fn = 0;
    pred.forEach((p, i) => {
      if (p === 1 && labels[i] === 1) tp++;
      else if (p === 1) fp++;
      else if (labels[i] === 1) fn++;
    });
    expect(own.net_value!.value).toBeCloseTo((tp * 120 - fp * 15 - fn * 120) / n, 9);
  });
  it("a rows expression is the weighted mean of its per-row values (brier spelt by hand)", () => {
    const own = result.overall.metrics as Record<string, { value: number | null }>;
    expect(own.squared_error!.value).toBeCloseTo(METRICS.brier.compute(labels, scores).value!, 12);
  });
  it("intervals come from the same replicates as the built-in metrics (percentile of the same draws)", () => {
    const pass = prepareBinaryPass({ labels, scores, groupIds: [new Uint32Array(n)], groups: 1 }, 0.5);
    const [draws] = bootstrapMetrics({
      task: "binary",
      passes: [pass],
      metrics: ["f1"],
      groups: [0],
      rowHashes: rowIds,
      seed: 4,
      from: 0,
      to: 300,
    });
    const expected = percentileInterval(draws!, 0.95).ci!;
    const own = result.overall.metrics as Record<string, { ci: [number, number] | null; value: number }>;
    const ci = own.f1_by_hand!.ci!;
    expect(ci[0]).toBeCloseTo(Math.min(expected[0], own.f1_by_hand!.value), 12);
    expect(ci[1]).toBeCloseTo(Math.max(expected[1], own.f1_by_hand!.value), 12);
  });
  it("the baseline gets the metric and the paired change, and every slice gets it", () => {
    const baseline = result.baseline!;
    const delta = baseline.overall.delta as Record<
      string,
      { value: number | null; ci: [number, number] | null }
    >;
    const c = (result.overall.metrics as Record<string, { value: number }>).net_value!.value;
    const b = (baseline.overall.metrics as Record<string, { value: number }>).net_value!.value;
    expect(delta.net_value!.value).toBeCloseTo(c - b, 12);
    expect(delta.net_value!.ci).not.toBeNull();
    const qa = result.slices.find((s) => s.key.region === "QA")!;
    expect(qa.suppressed).toBe(false);
    expect(Object.keys(qa.metrics)).toContain("squared_error");
  });
  it("an undefined expression is null with a reason", () => {
    const [spec] = customMetricsOf(
      {
        "custom-metrics": { odd: { from: "counts", expression: "tp / (tp - tp)", direction: "higher" } },
      },
      "binary",
    );
    const out = evaluate({
      task: "binary",
      labels,
      scores,
      rowIds,
      sliceColumns: new Map(),
      specs: [],
      metrics: ["f1"],
      bootstrap: 0,
      custom: [spec!],
    });
    expect((out.overall.metrics as Record<string, unknown>).odd).toMatchObject({
      value: null,
      reason: expect.stringMatching(/division by zero/),
    });
  });
});
