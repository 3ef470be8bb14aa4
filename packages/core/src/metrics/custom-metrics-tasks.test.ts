import { describe, expect, it } from "vitest";
import { evaluate } from "../bootstrap/evaluate.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { evaluateGate } from "../gate/evaluate-gate.js";
import { evaluationJson, SHA } from "../gate/gate-fixtures.test-helper.js";
import type { Task } from "../manifest/metric-names.js";
import { parseManifest } from "../manifest/parse-manifest.js";
import { customMetricsOf } from "../manifest/schema-operating.js";
import type { MetricResult } from "../results/evaluation.js";
import type { Column } from "../table/column.js";

// `from: rows` custom metrics of regression and multiclass models: each row's values for the task
// (regression label, prediction, error; multiclass correct, probability, confidence), their
// weighted mean overall and per slice, with intervals, on the one evaluation route.

type Own = Record<string, MetricResult>;

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const specsOf = (task: Task, metrics: Record<string, string>) =>
  customMetricsOf(
    {
      "custom-metrics": Object.fromEntries(
        Object.entries(metrics).map(([name, expression]) => [
          name,
          { from: "rows" as const, expression, direction: "higher" as const },
        ]),
      ),
    },
    task,
  );

function run(
  task: Task,
  labels: number[],
  scores: number[],
  region: string[],
  custom: Record<string, string>,
  options: { weights?: number[]; baseline?: number[]; bootstrap?: number; classes?: number } = {},
) {
  const n = labels.length;
  return evaluate({
    task,
    labels: Float64Array.from(labels),
    scores: Float64Array.from(scores),
    ...(options.baseline ? { baselineScores: Float64Array.from(options.baseline) } : {}),
    ...(options.classes ? { classes: options.classes } : {}),
    ...(options.weights ? { weights: Float64Array.from(options.weights) } : {}),
    rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`row-${i}`)),
    sliceColumns: new Map<string, Column>([
      ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
    ]),
    specs: ["region"],
    metrics: task === "regression" ? ["mae"] : ["accuracy"],
    minSliceSize: 2,
    bootstrap: options.bootstrap ?? 200,
    seed: 3,
    custom: specsOf(task, custom),
  });
}

// Regression, by hand: errors (prediction − label) 2, 7, 0, −7, 1, 10; |error| ≤ 5 on rows 0, 2, 4.
const regression = {
  labels: [10, 20, 30, 40, 50, 60],
  predictions: [12, 27, 30, 33, 51, 70],
  region: ["A", "A", "A", "B", "B", "B"],
};
const REGRESSION_METRICS = { within_5: "abs(error) <= 5", over: "error > 0", sq: "(prediction - label) ^ 2" };

// Multiclass, by hand (3 classes): row 3 ties classes 0 and 1 and predicts 0 (the first, as np.argmax).
const multiclass = {
  labels: [0, 1, 2, 1],
  probabilities: [0.7, 0.2, 0.1, 0.5, 0.3, 0.2, 0.1, 0.1, 0.8, 0.4, 0.4, 0.2],
  region: ["A", "A", "B", "B"],
};
const MULTICLASS_METRICS = {
  hits: "correct",
  sure_right: "correct * (confidence >= 0.75)",
  p_true: "probability",
};

describe("rows custom metrics on a regression model", () => {
  const r = regression;
  it("are the mean of the expression over rows, overall and per slice (by hand)", () => {
    const out = run("regression", r.labels, r.predictions, r.region, REGRESSION_METRICS);
    const own = out.overall.metrics as Own;
    expect(own.within_5!.value).toBeCloseTo(3 / 6, 12);
    expect(own.over!.value).toBeCloseTo(4 / 6, 12);
    expect(own.sq!.value).toBeCloseTo((4 + 49 + 0 + 49 + 1 + 100) / 6, 12);
    const a = out.slices.find((s) => s.key.region === "A")!.metrics as Own;
    const b = out.slices.find((s) => s.key.region === "B")!.metrics as Own;
    expect(a.within_5!.value).toBeCloseTo(2 / 3, 12);
    expect(b.within_5!.value).toBeCloseTo(1 / 3, 12);
    expect(b.sq!.value).toBeCloseTo((49 + 1 + 100) / 3, 12);
  });
  it("honour sample weights (a weighted mean)", () => {
    const weights = [1, 2, 1, 1, 3, 1];
    const out = run("regression", r.labels, r.predictions, r.region, REGRESSION_METRICS, { weights });
    const own = out.overall.metrics as Own;
    // Weight 1 + 1 + 3 within 5 of a total 9.
    expect(own.within_5!.value).toBeCloseTo(5 / 9, 12);
    const b = out.slices.find((s) => s.key.region === "B")!.metrics as Own;
    expect(b.within_5!.value).toBeCloseTo(3 / 5, 12);
  });
  it("carry an interval that contains the value, and the baseline's paired change", () => {
    const baseline = [10, 20, 31, 41, 58, 61];
    const out = run("regression", r.labels, r.predictions, r.region, REGRESSION_METRICS, { baseline });
    const sq = (out.overall.metrics as Own).sq!;
    expect(sq.ci).not.toBeNull();
    expect(sq.ci![0]).toBeLessThanOrEqual(sq.value!);
    expect(sq.ci![1]).toBeGreaterThanOrEqual(sq.value!);
    expect(sq.ci![1]).toBeGreaterThan(sq.ci![0]);
    // Baseline errors 0, 0, 1, 1, 8, 1: within 5 on 5 of 6 rows.
    const base = out.baseline!;
    expect((base.overall.metrics as Own).within_5!.value).toBeCloseTo(5 / 6, 12);
    expect((base.overall.delta as Own).within_5!.value).toBeCloseTo(3 / 6 - 5 / 6, 12);
  });
  it("|error| spelt by hand equals the built-in MAE on weighted data, per slice, with Gaussian intervals where large", () => {
    const rnd = lcg(5);
    const n = 3000;
    const labels = Array.from({ length: n }, () => rnd() * 100);
    const predictions = labels.map((y) => y + (rnd() - 0.5) * 12);
    const weights = Array.from({ length: n }, () => Math.floor(rnd() * 3));
    const region = labels.map((_, i) => (i % 3 === 0 ? "A" : "B"));
    const out = run("regression", labels, predictions, region, { own_mae: "abs(error)" }, { weights });
    for (const group of [out.overall, ...out.slices]) {
      const own = (group.metrics as Own).own_mae!;
      expect(own.value).toBeCloseTo(group.metrics.mae!.value!, 10);
      expect(own.ci![0]).toBeLessThan(own.value!);
      expect(own.ci![1]).toBeGreaterThan(own.value!);
    }
    expect((out.overall.metrics as Own).own_mae!.intervals).toBe("gaussian");
  });
});

describe("rows custom metrics on a multiclass model", () => {
  const m = multiclass;
  it("read correct, the true class's probability and the top probability (by hand)", () => {
    const out = run("multiclass", m.labels, m.probabilities, m.region, MULTICLASS_METRICS, { classes: 3 });
    const own = out.overall.metrics as Own;
    expect(own.hits!.value).toBeCloseTo(2 / 4, 12);
    expect(own.hits!.value).toBeCloseTo(out.overall.metrics.accuracy!.value!, 12);
    expect(own.sure_right!.value).toBeCloseTo(1 / 4, 12);
    expect(own.p_true!.value).toBeCloseTo((0.7 + 0.3 + 0.8 + 0.4) / 4, 12);
    const b = out.slices.find((s) => s.key.region === "B")!.metrics as Own;
    expect(b.p_true!.value).toBeCloseTo((0.8 + 0.4) / 2, 12);
    expect(b.sure_right!.value).toBeCloseTo(1 / 2, 12);
  });
  it("honour sample weights, and `correct` equals the built-in accuracy on weighted data per slice", () => {
    const weights = [1, 3, 1, 1];
    const out = run("multiclass", m.labels, m.probabilities, m.region, MULTICLASS_METRICS, {
      classes: 3,
      weights,
    });
    const own = out.overall.metrics as Own;
    expect(own.hits!.value).toBeCloseTo(2 / 6, 12);
    expect(own.p_true!.value).toBeCloseTo((0.7 + 3 * 0.3 + 0.8 + 0.4) / 6, 12);
    const rnd = lcg(8);
    const n = 600;
    const labels = Array.from({ length: n }, () => Math.floor(rnd() * 3));
    const probabilities = labels.flatMap((y) => {
      const raw = [0, 1, 2].map((c) => rnd() + (c === y ? 0.6 : 0));
      const sum = raw[0]! + raw[1]! + raw[2]!;
      return raw.map((p) => p / sum);
    });
    const region = labels.map((_, i) => (i % 4 === 0 ? "A" : "B"));
    const w = labels.map(() => rnd() * 2);
    const big = run("multiclass", labels, probabilities, region, MULTICLASS_METRICS, {
      classes: 3,
      weights: w,
    });
    for (const group of [big.overall, ...big.slices]) {
      const hits = (group.metrics as Own).hits!;
      expect(hits.value).toBeCloseTo(group.metrics.accuracy!.value!, 12);
      expect(hits.ci![0]).toBeLessThanOrEqual(hits.value!);
      expect(hits.ci![1]).toBeGreaterThanOrEqual(hits.value!);
    }
  });
  it("refuse a counts metric on a multiclass model (the manifest says so first)", () => {
    const custom = customMetricsOf(
      { "custom-metrics": { net: { from: "counts", expression: "tp - fp", direction: "higher" } } },
      "binary",
    );
    expect(() =>
      evaluate({
        task: "multiclass",
        classes: 3,
        labels: Float64Array.from(m.labels),
        scores: Float64Array.from(m.probabilities),
        rowIds: new Uint32Array(4),
        sliceColumns: new Map(),
        specs: [],
        metrics: ["accuracy"],
        custom,
      }),
    ).toThrow("counts custom metrics need a binary model, not multiclass (net)");
  });
});

describe("a gate rule on a regression custom metric", () => {
  const yaml = (min: number) => `name: churn
version: 1.3.0
task: regression
owner: "@acme/ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${SHA}"
  outputs: { value: variable }
evaluation:
  data: data/eval.csv
  label: y
  metrics: [mae]
  custom-metrics:
    within_5: { from: rows, expression: "abs(error) <= 5" }
gate:
  rules:
    - { metric: within_5, min: ${min} }
`;
  it("passes and fails on the value evaluate computed", () => {
    const r = regression;
    const out = run("regression", r.labels, r.predictions, r.region, { within_5: "abs(error) <= 5" });
    const file = evaluationJson();
    file.overall.metrics = out.overall.metrics as typeof file.overall.metrics;
    file.slices = [];
    file.custom = { within_5: { from: "rows", expression: "abs(error) <= 5", direction: "higher" } };
    const check = (min: number) =>
      evaluateGate({
        manifest: parseManifest(yaml(min), "models/churn/model.yml"),
        results: { evaluation: file },
        artefactSha256: SHA,
      }).rules.find((c) => c.rule === 0)!;
    expect(check(0.4)).toMatchObject({ status: "pass", value: 0.5 });
    expect(check(0.6)).toMatchObject({ status: "fail", value: 0.5 });
  });
});
