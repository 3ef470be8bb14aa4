import { isUserError, type Manifest, type UserError } from "@gauntlet/core";
import {
  logisticModel,
  multiclassModel,
  pipelineModel,
  regressionModel,
  zipMapModel,
} from "@gauntlet/fixtures";
import { beforeAll, describe, expect, it } from "vitest";
import { checkSignature } from "./check-signature.js";
import type { ColumnKinds } from "./input-plan.js";
import { loadModel, type ScoringModel } from "./load-model.js";
import { mixedModel, passThroughModel } from "./model-fixtures.test-helper.js";

type Artefact = Manifest["artefact"];
const manifestFile = "models/churn/model.yml";
const FEATURES = ["tenure_months", "monthly_charges", "support_calls", "data_gb", "age"];
const binary = (
  inputs: Artefact["inputs"],
  outputs: Artefact["outputs"] = { probabilities: "probabilities" },
) => ({ path: "m.onnx", inputs, outputs, classes: [0, 1], positive: 1 }) as Artefact;

let logistic: ScoringModel;
let pipeline: ScoringModel;
let mixed: ScoringModel;

beforeAll(async () => {
  logistic = await loadModel(logisticModel({ weights: [1, 1, 1, 1, 1], bias: 0, features: FEATURES }), {
    manifestFile,
  });
  pipeline = await loadModel(
    pipelineModel({
      numeric: ["tenure_months", "age"],
      categorical: [{ column: "plan", categories: ["a", "b"] }],
      weights: [1, 1, 1, 1],
      bias: 0,
      imputeValues: [0, 0],
    }),
    { manifestFile },
  );
  mixed = await loadModel(mixedModel(), { manifestFile });
});

function signatureError(model: ScoringModel, artefact: Artefact, columns?: ColumnKinds): UserError {
  let error: unknown;
  try {
    checkSignature(model, artefact, { manifestFile, ...(columns ? { columns } : {}) });
  } catch (e) {
    error = e;
  }
  expect(isUserError(error)).toBe(true);
  expect((error as UserError).file).toBe(manifestFile);
  return error as UserError;
}

describe("checkSignature: inputs", () => {
  it("maps a list of columns to [N, k] and single columns to the model's declared rank", () => {
    const mapping = checkSignature(
      pipeline,
      binary({ numeric: ["tenure_months", "age"], plan: "plan_code" }),
    );
    expect(mapping.inputs).toEqual([
      {
        input: "numeric",
        columns: ["tenure_months", "age"],
        elementType: "float32",
        layout: "matrix",
        field: "artefact.inputs.numeric",
      },
      {
        input: "plan",
        columns: ["plan_code"],
        elementType: "string",
        layout: "matrix",
        field: "artefact.inputs.plan",
      },
    ]);
    expect(mapping.positiveIndex).toBe(1);
    expect(mapping.maxBatchRows).toBeUndefined();
  });

  it("`auto` feeds every input from the column of the same name, [N] inputs as vectors", () => {
    const mapping = checkSignature(mixed, { path: "m.onnx", inputs: "auto", outputs: { value: "value" } });
    expect(mapping.inputs.map((f) => [f.input, f.columns, f.elementType, f.layout])).toEqual([
      ["a", ["a"], "float32", "vector"],
      ["b", ["b"], "float64", "matrix"],
      ["c", ["c"], "int64", "vector"],
      ["s", ["s"], "string", "vector"],
    ]);
  });

  it("`auto` on an [N, 5] input asks for the list of columns", () => {
    const error = signatureError(logistic, binary("auto"));
    expect(error.field).toBe("artefact.inputs");
    expect(error.problem).toContain("numeric (float32 [N, 5]) takes 5 columns, but 1 is mapped");
    expect(error.fix).toContain("inputs: { numeric: [col1, …, col5] }");
  });

  it("an unknown input name lists the model's inputs", () => {
    const error = signatureError(
      pipeline,
      binary({ numeric: ["tenure_months", "age"], plan: "plan", region: "region" }),
    );
    expect(error.field).toBe("artefact.inputs.region");
    expect(error.problem).toBe(
      'the model has no input named "region"; its inputs are numeric (float32 [N, 2]), plan (string [N, 1])',
    );
  });

  it("a model input that no column feeds is named", () => {
    const error = signatureError(pipeline, binary({ numeric: ["tenure_months", "age"] }));
    expect(error.field).toBe("artefact.inputs");
    expect(error.problem).toContain("plan (string [N, 1]) is not fed");
    expect(error.fix).toContain("plan: <column>");
  });

  it("a list whose length differs from the model's fixed width", () => {
    const error = signatureError(logistic, binary({ numeric: ["tenure_months", "age", "data_gb"] }));
    expect(error.field).toBe("artefact.inputs.numeric");
    expect(error.problem).toContain("takes 5 columns, but 3 are mapped");
  });

  it("a list into a rank-1 input", () => {
    const error = signatureError(mixed, {
      path: "m.onnx",
      inputs: { a: ["x", "y"], b: "b", c: "c", s: "s" },
      outputs: { value: "value" },
    });
    expect(error.field).toBe("artefact.inputs.a");
    expect(error.problem).toContain("a (float32 [N]) takes one column, but 2 columns are mapped");
  });

  it("a category column into a float input names the column", () => {
    const kinds = new Map([
      ["tenure_months", "number"],
      ["age", "category"],
      ["plan", "category"],
    ] as const);
    const error = signatureError(
      pipeline,
      binary({ numeric: ["tenure_months", "age"], plan: "plan" }),
      kinds,
    );
    expect(error.field).toBe("artefact.inputs.numeric[1]");
    expect(error.problem).toBe('column "age" is a category column but the model input is float32 (numeric)');
  });

  it("a number column into a string input says to declare it a category", () => {
    const kinds = new Map([
      ["tenure_months", "number"],
      ["age", "boolean"],
      ["plan", "number"],
    ] as const);
    const error = signatureError(
      pipeline,
      binary({ numeric: ["tenure_months", "age"], plan: "plan" }),
      kinds,
    );
    expect(error.field).toBe("artefact.inputs.plan");
    expect(error.fix).toContain("type: category");
  });

  it("a column missing from the data", () => {
    const kinds = new Map([["tenure_months", "number"]] as const);
    const error = signatureError(
      pipeline,
      binary({ numeric: ["tenure_months", "age"], plan: "plan" }),
      kinds,
    );
    expect(error.problem).toContain('column "age" (feeding model input numeric) is not in the data');
    expect(error.fix).toBe(
      "check the column name against the data's header, or map the input to another column",
    );
  });

  it("a column that nested JSON data holds under a dotted name", () => {
    const kinds = new Map([
      ["inputs.tenure_months", "number"],
      ["inputs.age", "number"],
      ["inputs.plan", "category"],
    ] as const);
    const error = signatureError(
      pipeline,
      binary({ numeric: ["inputs.tenure_months", "age"], plan: "inputs.plan" }),
      kinds,
    );
    expect(error.field).toBe("artefact.inputs.numeric[1]");
    expect(error.fix).toBe(
      'the data nests it as "inputs.age" (nested JSON is read as dotted names): write inputs.age',
    );
  });

  it("a fixed batch size of 1 limits runs to one row; other fixed sizes are refused", async () => {
    const one = await loadModel(passThroughModel([1, 2]), { manifestFile });
    expect(checkSignature(one, binary({ x: ["p0", "p1"] })).maxBatchRows).toBe(1);
    const eight = await loadModel(passThroughModel([8, 2]), { manifestFile });
    expect(signatureError(eight, binary({ x: ["p0", "p1"] })).problem).toContain("fixed batch size of 8");
  });
});

describe("checkSignature: outputs", () => {
  const numeric = { numeric: FEATURES };

  it("an unknown output name lists the model's outputs", () => {
    const error = signatureError(logistic, binary(numeric, { probabilities: "output_probability" }));
    expect(error.field).toBe("artefact.outputs.probabilities");
    expect(error.problem).toBe(
      'the model has no output named "output_probability"; its outputs are label (int64 [N]), probabilities (float32 [N, 2])',
    );
  });

  it("a ZipMap output explains how to export without it", async () => {
    const zip = await loadModel(zipMapModel({ weights: [1], bias: 0, features: ["x"] }), { manifestFile });
    const error = signatureError(zip, binary({ numeric: ["x"] }));
    expect(error.problem).toMatch(/ZipMap/);
    expect(error.fix).toContain(`options={id(model): {"zipmap": False}}`);
    expect(error.fix).toContain("zipmap=False");
  });

  it("a ZipMap output the manifest does not read is no obstacle", async () => {
    const zip = await loadModel(zipMapModel({ weights: [1], bias: 0, features: ["x"] }), { manifestFile });
    expect(checkSignature(zip, binary({ numeric: ["x"] }, { label: "label" })).outputs).toEqual({
      label: { output: "label" },
    });
  });

  it("the positive class picks its column of the probabilities", () => {
    const artefact = { ...binary(numeric), classes: ["stay", "churn"], positive: "stay" };
    expect(checkSignature(logistic, artefact).positiveIndex).toBe(0);
  });

  it("a class count that contradicts artefact.classes", async () => {
    const three = await loadModel(
      multiclassModel({ weights: [[1], [0], [-1]], bias: [0, 0, 0], features: ["x"] }),
      { manifestFile },
    );
    const artefact = {
      path: "m.onnx",
      inputs: { numeric: ["x"] },
      outputs: { probabilities: "probabilities" },
      classes: ["a", "b"],
    };
    expect(signatureError(three, artefact).problem).toContain("has 3 classes but artefact.classes lists 2");
  });

  it("a [N, 2] output named as the label", () => {
    const error = signatureError(logistic, binary(numeric, { label: "probabilities" }));
    expect(error.field).toBe("artefact.outputs.label");
    expect(error.problem).toContain("holds more than one label per row");
  });

  it("an int64 output named as probabilities", () => {
    const error = signatureError(logistic, binary(numeric, { probabilities: "label" }));
    expect(error.problem).toContain("label (int64 [N]) is not a float32 or float64 tensor");
  });

  it("a one-score-per-row output as multiclass probabilities", async () => {
    const regression = await loadModel(regressionModel({ weights: [1], bias: 0, features: ["x"] }), {
      manifestFile,
    });
    const artefact = {
      path: "m.onnx",
      inputs: { numeric: ["x"] },
      outputs: { probabilities: "variable" },
      classes: [0, 1, 2],
    };
    expect(signatureError(regression, artefact).problem).toContain("one score per row, not one per class");
  });

  it("no output named at all", () => {
    const error = signatureError(logistic, binary(numeric, {}));
    expect(error.field).toBe("artefact.outputs");
    expect(error.fix).toContain("label, probabilities");
  });
});
