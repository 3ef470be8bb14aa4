import { zipMapModel } from "@gauntlet/fixtures";
import { describe, expect, it } from "vitest";
import {
  batchOf,
  manifestFile,
  mixedModel,
  passThroughModel,
  prepare,
  rejection,
} from "./model-fixtures.test-helper.js";
import { scoreBatch } from "./score-batch.js";
import { healthError } from "./score-health.js";

const f = Math.fround;
const BINARY = { classes: [0, 1], positive: 1 };

describe("scoreBatch: input tensors from columns", () => {
  it("auto mapping feeds [N] and [N, 1] inputs of every type; null numbers are NaN, null strings are empty", async () => {
    const { model, mapping } = await prepare(mixedModel(), { outputs: { value: "value", label: "label" } });
    const batch = batchOf({
      a: [1, 2, null, 4, 5],
      b: [0.5, 0.25, 1, 2, 3],
      c: [0, 1, 2, 7, 1],
      s: ["x", "y", "x", "w", null],
    });
    const scores = await scoreBatch(model, mapping, batch);
    expect([...scores.value!]).toEqual([11.5, 23.25, Number.NaN, 13, 9]);
    expect(scores.label).toEqual(["low", "mid", "high", "other", "mid"]);
    expect(scores.health).toMatchObject({
      nanCount: 1,
      outOfRangeCount: 0,
      firstRows: [{ source: "data/eval.csv", row: 3 }],
    });
  });

  it("booleans feed numeric inputs as 0 and 1", async () => {
    const { model, mapping } = await prepare(mixedModel(), { outputs: { value: "value" } });
    const scores = await scoreBatch(
      model,
      mapping,
      batchOf({ a: [true, false], b: [0, 0], c: [0, 0], s: ["q", "q"] }),
    );
    expect([...scores.value!]).toEqual([1, 0]);
  });

  it("a null reaching an int64 input names the column, the row and the fix", async () => {
    const { model, mapping } = await prepare(mixedModel(), { outputs: { value: "value" } });
    const batch = batchOf({ a: [1, 2], b: [1, 1], c: [1, null], s: ["x", "x"] }, "data/eval.csv", 101);
    const error = await rejection(scoreBatch(model, mapping, batch));
    expect(error.field).toBe("artefact.inputs");
    expect(error.problem).toContain('column "c" is null at row 102 of data/eval.csv');
    expect(error.fix).toContain("nullable: false");
  });

  it("a fraction reaching an int64 input is refused, not truncated", async () => {
    const { model, mapping } = await prepare(mixedModel(), { outputs: { value: "value" } });
    const error = await rejection(
      scoreBatch(model, mapping, batchOf({ a: [1], b: [1], c: [1.5], s: ["x"] })),
    );
    expect(error.problem).toContain('column "c" holds 1.5 at row 1');
  });

  it("a column missing from, or of the wrong kind in, a batch fails before onnxruntime runs", async () => {
    const { model, mapping } = await prepare(mixedModel(), { outputs: { value: "value" } });
    const missing = await rejection(scoreBatch(model, mapping, batchOf({ a: [1], b: [1], c: [1] })));
    expect(missing.problem).toContain('column "s" (feeding model input s) is not in data/eval.csv');
    const wrong = await rejection(
      scoreBatch(model, mapping, batchOf({ a: ["1"], b: [1], c: [1], s: ["x"] })),
    );
    expect(wrong.problem).toContain(
      'column "a" in data/eval.csv is a category column but the model input is float32',
    );
  });

  it("labels are read past a ZipMap output the manifest does not name", async () => {
    const bytes = zipMapModel({ weights: [1], bias: -5, features: ["x"] });
    const { model, mapping } = await prepare(bytes, {
      inputs: { numeric: ["x"] },
      outputs: { label: "label" },
      classes: [0, 1],
      positive: 1,
    });
    const scores = await scoreBatch(model, mapping, batchOf({ x: [0, 10] }));
    expect([...(scores.label as Float64Array)]).toEqual([0, 1]);
    expect(scores.health.role).toBe("label");
  });

  it("a model with a fixed batch size of 1 is run row by row", async () => {
    const { model, mapping } = await prepare(passThroughModel([1, 2]), {
      ...BINARY,
      outputs: { probabilities: "probabilities" },
      inputs: { x: ["p0", "p1"] },
    });
    const scores = await scoreBatch(model, mapping, batchOf({ p0: [0.9, 0.2, 0.5], p1: [0.1, 0.8, 0.5] }));
    expect([...scores.score!].map(f)).toEqual([0.1, 0.8, 0.5].map(f));
  });
});

describe("scoreBatch: health of the scores", () => {
  it("NaN and out-of-range probabilities are counted, not passed through silently", async () => {
    const { model, mapping } = await prepare(passThroughModel(), {
      ...BINARY,
      outputs: { probabilities: "probabilities" },
      inputs: { x: ["p0", "p1"] },
    });
    const batch = batchOf(
      { p0: [0.2, null, 0.5, -0.3, 0.1], p1: [0.8, 0.4, 1.5, 1.3, 0.9] },
      "data/eval.csv",
      10,
    );
    const scores = await scoreBatch(model, mapping, batch);
    expect(scores.health.nanCount).toBe(1);
    expect(scores.health.outOfRangeCount).toBe(2);
    expect(scores.health.firstRows.map((b) => b.row)).toEqual([11, 12, 13]);
    const error = healthError(scores.health, manifestFile)!;
    expect(error.field).toBe("artefact.outputs.probabilities");
    expect(error.problem).toBe(
      "the model output probabilities gave NaN on 1 and values outside [0, 1] on 2 of 5 rows " +
        "(first: data/eval.csv row 11 = NaN; data/eval.csv row 12 = 1.5; data/eval.csv row 13 = -0.30000001192092896)",
    );
    expect(error.fix).toContain("imputer");
    expect(error.fix).toContain("raw scores");
  });
});
