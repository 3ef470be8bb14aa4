import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, type UserError } from "@gauntlet/core";
import { logisticModel, zipMapModel } from "@gauntlet/fixtures";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "./load-model.js";
import { mixedModel } from "./model-fixtures.test-helper.js";

const manifestFile = "models/churn/model.yml";
const logistic = logisticModel({ weights: [0.5, -1], bias: 0.1, features: ["tenure_months", "age"] });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-load-"));
  await writeFile(join(dir, "model.onnx"), logistic);
});

async function loadError(artefact: string | Uint8Array): Promise<UserError> {
  const error = await loadModel(artefact, { manifestFile }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUserError(error)).toBe(true);
  expect((error as UserError).file).toBe(manifestFile);
  expect((error as UserError).field).toBe("artefact.path");
  return error as UserError;
}

describe("loadModel", () => {
  it("exposes the model's own inputs and outputs with symbolic dimensions", async () => {
    const model = await loadModel(join(dir, "model.onnx"), { manifestFile });
    expect(model.source).toBe(join(dir, "model.onnx"));
    expect(model.inputs).toEqual([
      { name: "numeric", isTensor: true, elementType: "float32", shape: ["N", 2] },
    ]);
    expect(model.outputs).toEqual([
      { name: "label", isTensor: true, elementType: "int64", shape: ["N"] },
      { name: "probabilities", isTensor: true, elementType: "float32", shape: ["N", 2] },
    ]);
  });

  it("reads every element type and rank from bytes", async () => {
    const model = await loadModel(mixedModel(), { manifestFile, threads: 1 });
    expect(model.source).toBe("<bytes>");
    expect(model.inputs.map((v) => (v.isTensor ? `${v.name}:${v.elementType}[${v.shape}]` : v.name))).toEqual(
      ["a:float32[N]", "b:float64[N,1]", "c:int64[N]", "s:string[N]"],
    );
  });

  it("marks a ZipMap output as not a tensor", async () => {
    const model = await loadModel(zipMapModel({ weights: [1], bias: 0, features: ["x"] }), { manifestFile });
    expect(model.outputs[1]).toEqual({ name: "probabilities", isTensor: false });
  });

  it("random bytes are 'not an ONNX model' with a fix", async () => {
    const error = await loadError(new Uint8Array([1, 2, 3, 4, 5, 250, 251]));
    expect(error.problem).toMatch(/^not an ONNX model: <bytes>/);
    expect(error.fix).toMatch(/skl2onnx/);
  });

  it("a truncated model is 'not an ONNX model'", async () => {
    const error = await loadError(logistic.subarray(0, Math.floor(logistic.length / 2)));
    expect(error.problem).toMatch(/not an ONNX model/);
  });

  it("a text file at the path is 'not an ONNX model', naming the path", async () => {
    const path = join(dir, "notes.onnx");
    await writeFile(path, "this is a CSV file, not a model\n1,2,3\n");
    const error = await loadError(path);
    expect(error.problem).toContain(`not an ONNX model: ${path}`);
  });

  it("a Git LFS pointer says to fetch LFS files", async () => {
    const pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12345\n";
    const error = await loadError(new TextEncoder().encode(pointer));
    expect(error.problem).toMatch(/Git LFS pointer/);
    expect(error.fix).toMatch(/lfs: true/);
  });

  it("a missing file is a user error", async () => {
    const error = await loadError(join(dir, "absent.onnx"));
    expect(error.problem).toMatch(/absent\.onnx does not exist/);
  });
});
