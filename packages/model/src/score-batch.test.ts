import {
  fitGradientBoosting,
  logisticModel,
  multiclassModel,
  pipelineModel,
  predictLogit,
  regressionModel,
  treeEnsembleModel,
} from "@gauntlet/fixtures";
import { describe, expect, it } from "vitest";
import { batchOf, numericColumns, prepare, sliceBatch, uniform } from "./model-fixtures.test-helper.js";
import { scoreBatch, scoreBatches } from "./score-batch.js";
import { emptyHealth, mergeHealth } from "./score-health.js";

const f = Math.fround;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const BINARY = { outputs: { probabilities: "probabilities", label: "label" }, classes: [0, 1], positive: 1 };
const FEATURES = ["tenure_months", "monthly_charges", "support_calls", "data_gb", "age"];
const WEIGHTS = [-0.04, 0.02, 0.35, 0.05, -0.01];
const BIAS = -0.7;

describe("scoreBatch: binary classifiers", () => {
  it("logistic: the positive-class score is sigmoid(w·x + b) to 1e-6, label from the model", async () => {
    const bytes = logisticModel({ weights: WEIGHTS, bias: BIAS, features: FEATURES });
    const { model, mapping } = await prepare(bytes, { ...BINARY, inputs: { numeric: FEATURES } });
    const cells = numericColumns(FEATURES, 500, 1, 60);
    const scores = await scoreBatch(model, mapping, batchOf(cells));
    expect(scores.rows).toBe(500);
    expect(scores.probabilities).toBeUndefined();
    for (let i = 0; i < 500; i++) {
      const z = FEATURES.reduce((s, name, j) => s + f(WEIGHTS[j]!) * cells[name]![i]!, f(BIAS));
      expect(Math.abs(scores.score![i]! - sigmoid(z))).toBeLessThan(1e-6);
      expect(scores.label![i]).toBe(scores.score![i]! > 0.5 ? 1 : 0);
    }
    expect(scores.health).toMatchObject({
      output: "probabilities",
      rows: 500,
      nanCount: 0,
      outOfRangeCount: 0,
    });
  });

  it("the positive class's column is chosen by artefact.positive", async () => {
    const bytes = logisticModel({ weights: WEIGHTS, bias: BIAS, features: FEATURES });
    const batch = batchOf(numericColumns(FEATURES, 50, 2, 60));
    const one = await prepare(bytes, { ...BINARY, inputs: { numeric: FEATURES } });
    const zero = await prepare(bytes, {
      ...BINARY,
      inputs: { numeric: FEATURES },
      classes: ["stay", "churn"],
      positive: "stay",
    });
    const p1 = (await scoreBatch(one.model, one.mapping, batch)).score!;
    const p0 = (await scoreBatch(zero.model, zero.mapping, batch)).score!;
    p1.forEach((p, i) => {
      expect(Math.abs(p + p0[i]! - 1)).toBeLessThan(1e-6);
    });
  });

  it("double and int64 inputs are fed as float64 and int64 tensors", async () => {
    const cells = numericColumns(FEATURES, 40, 3, 30);
    const ints = Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, v.map(Math.round)]));
    const expected = async (inputType: "double" | "int64", data: Record<string, number[]>) => {
      const bytes = logisticModel({ weights: WEIGHTS, bias: BIAS, features: FEATURES, inputType });
      const { model, mapping } = await prepare(bytes, { ...BINARY, inputs: { numeric: FEATURES } });
      expect(mapping.inputs[0]!.elementType).toBe(inputType === "double" ? "float64" : "int64");
      const scores = await scoreBatch(model, mapping, batchOf(data));
      return { scores, data };
    };
    for (const { scores, data } of [await expected("double", cells), await expected("int64", ints)]) {
      scores.score!.forEach((p, i) => {
        const z = FEATURES.reduce((s, name, j) => s + f(WEIGHTS[j]!) * f(data[name]![i]!), f(BIAS));
        expect(Math.abs(p - sigmoid(z))).toBeLessThan(1e-6);
      });
    }
  });

  it("pipeline with string inputs: imputed NaN numbers, one-hot categories, unknown and null categories as zeros", async () => {
    const weights = [0.1, -0.05, 0.8, -0.6, 0.3, 0.2, -0.4];
    const bytes = pipelineModel({
      numeric: ["tenure_months", "age"],
      categorical: [
        { column: "plan", categories: ["a", "b"] },
        { column: "region", categories: ["AE", "SA", "EG"] },
      ],
      weights,
      bias: -0.2,
      imputeValues: [12, 40],
    });
    const { model, mapping } = await prepare(bytes, {
      ...BINARY,
      inputs: { numeric: ["tenure_months", "age"], plan: "plan_code", region: "region" },
    });
    const batch = batchOf({
      tenure_months: [3, null, 24, 7],
      age: [30, 55, null, 41],
      plan_code: ["a", "b", "zzz", null],
      region: ["EG", null, "AE", "SA"],
    });
    const scores = await scoreBatch(model, mapping, batch);
    const oneHot = (value: string | null, categories: string[]) =>
      categories.map((c) => (c === value ? 1 : 0));
    const rows = [
      [3, 30, ...oneHot("a", ["a", "b"]), ...oneHot("EG", ["AE", "SA", "EG"])],
      [12, 55, ...oneHot("b", ["a", "b"]), 0, 0, 0],
      [24, 40, 0, 0, ...oneHot("AE", ["AE", "SA", "EG"])],
      [7, 41, 0, 0, ...oneHot("SA", ["AE", "SA", "EG"])],
    ];
    rows.forEach((x, i) => {
      const z = x.reduce((s, v, j) => s + f(weights[j]!) * v, f(-0.2));
      expect(Math.abs(scores.score![i]! - sigmoid(z))).toBeLessThan(1e-6);
    });
  });

  it("tree ensemble: matches the fitted ensemble, NaN going to the false branch", async () => {
    const next = uniform(4);
    const n = 600;
    const x = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => f(next() * 100)));
    const y = Float64Array.from({ length: n }, (_, i) =>
      x[0]![i]! + 2 * x[1]![i]! > 150 + 40 * (next() - 0.5) ? 1 : 0,
    );
    const ensemble = fitGradientBoosting(x, y, { trees: 30, depth: 3, minLeaf: 10 });
    const bytes = treeEnsembleModel({ ensemble, features: ["a", "b", "c"] });
    const { model, mapping } = await prepare(bytes, { ...BINARY, inputs: { numeric: ["a", "b", "c"] } });
    const test = numericColumns(["a", "b", "c"], 300, 5, 100);
    test["b"]![7] = Number.NaN;
    const cells = { ...test, b: test["b"]!.map((v) => (Number.isNaN(v) ? null : v)) };
    const scores = await scoreBatch(model, mapping, batchOf(cells));
    for (let i = 0; i < 300; i++) {
      const logit = predictLogit(ensemble, [test["a"]![i]!, test["b"]![i]!, test["c"]![i]!]);
      expect(Math.abs(scores.score![i]! - sigmoid(logit))).toBeLessThan(1e-5);
    }
    expect(scores.health.nanCount).toBe(0);
  });
});

describe("scoreBatch: multiclass, regression, every input kind", () => {
  const W = [
    [0.3, -0.1],
    [0, 0.05],
    [-0.2, 0.1],
  ];
  const multiclass = () => multiclassModel({ weights: W, bias: [0.1, 0, -0.1], features: ["x1", "x2"] });
  const MULTI = {
    inputs: { numeric: ["x1", "x2"] },
    outputs: { probabilities: "probabilities", label: "label" },
    classes: ["a", "b", "c"],
  };

  it("multiclass: softmax probabilities per row × class summing to 1, label = argmax", async () => {
    const { model, mapping } = await prepare(multiclass(), MULTI);
    const cells = numericColumns(["x1", "x2"], 200, 6, 20);
    const scores = await scoreBatch(model, mapping, batchOf(cells));
    expect(scores.classCount).toBe(3);
    expect(scores.score).toBeUndefined();
    const p = scores.probabilities!;
    expect(p.length).toBe(600);
    for (let i = 0; i < 200; i++) {
      const logits = W.map(
        (w, c) => f(w[0]!) * cells["x1"]![i]! + f(w[1]!) * cells["x2"]![i]! + f([0.1, 0, -0.1][c]!),
      );
      const total = logits.reduce((s, l) => s + Math.exp(l), 0);
      logits.forEach((l, c) => {
        expect(Math.abs(p[i * 3 + c]! - Math.exp(l) / total)).toBeLessThan(1e-6);
      });
      expect(Math.abs(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]! - 1)).toBeLessThan(1e-6);
      const row = [p[i * 3]!, p[i * 3 + 1]!, p[i * 3 + 2]!];
      expect(scores.label![i]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it("regression: value from an [N, 1] output", async () => {
    const bytes = regressionModel({ weights: [2.5, -1], bias: 3, features: ["x1", "x2"] });
    const { model, mapping } = await prepare(bytes, {
      inputs: { numeric: ["x1", "x2"] },
      outputs: { value: "variable" },
    });
    const cells = numericColumns(["x1", "x2"], 100, 7);
    const scores = await scoreBatch(model, mapping, batchOf(cells));
    scores.value!.forEach((v, i) => {
      expect(Math.abs(v - (2.5 * cells["x1"]![i]! - cells["x2"]![i]! + 3))).toBeLessThan(1e-4);
    });
    expect(scores.health).toMatchObject({ role: "value", output: "variable", nanCount: 0 });
  });
});

describe("sub-batches and streams", () => {
  it("results do not depend on where runs and batches are cut", async () => {
    const bytes = multiclassModel({
      weights: [
        [0.3, -0.1],
        [0, 0.05],
        [-0.2, 0.1],
      ],
      bias: [0.1, 0, -0.1],
      features: ["x1", "x2"],
    });
    const { model, mapping } = await prepare(bytes, {
      inputs: { numeric: ["x1", "x2"] },
      outputs: { probabilities: "probabilities", label: "label" },
      classes: [0, 1, 2],
    });
    const cells = numericColumns(["x1", "x2"], 1000, 8, 20);
    cells["x1"]![500] = Number.NaN;
    const whole = batchOf({ ...cells, x1: cells["x1"]!.map((v) => (Number.isNaN(v) ? null : v)) });
    const once = await scoreBatch(model, mapping, whole, { subBatchRows: 1_000_000 });
    const small = await scoreBatch(model, mapping, whole, { subBatchRows: 7 });
    expect(small.probabilities).toEqual(once.probabilities);
    expect(small.label).toEqual(once.label);
    expect(small.health).toEqual(once.health);

    const cuts = [0, 1, 333, 334, 999, 1000];
    const pieces = cuts.slice(1).map((end, i) => sliceBatch(whole, cuts[i]!, end));
    const probabilities: number[] = [];
    const health = emptyHealth("probabilities", "probabilities");
    for await (const { batch, scores } of scoreBatches(model, mapping, pieces, { subBatchRows: 64 })) {
      expect(scores.rows).toBe(batch.length);
      probabilities.push(...scores.probabilities!);
      mergeHealth(health, scores.health);
    }
    expect(Float64Array.from(probabilities)).toEqual(once.probabilities);
    expect(health).toMatchObject({ rows: 1000, nanCount: 1, firstRows: [{ row: 501 }] });
  });
});
