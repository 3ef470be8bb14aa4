import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GAUNTLET_VERSION, isUserError, parseManifest, renderModelCard } from "@gauntlet/core";
import { logisticModel } from "@gauntlet/fixtures";
import { onnxruntimeVersion } from "@gauntlet/model";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { offlineBaselineResolver } from "../evaluate/choose-baseline.js";
import { evaluateModel } from "../evaluate/evaluate-model.js";
import type { LoadedManifest } from "../load-manifest.js";
import { collectProvenance } from "./collect-provenance.js";

const FILE = "models/m/model.yml";
const sha = (bytes: string | Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const model = logisticModel({ weights: [0.8], bias: -0.2, features: ["x"], inputName: "x" });
const TRAIN = "x,y\n1,0\n2,1\n";
const EVAL = [
  "x,y",
  ...Array.from({ length: 40 }, (_, i) => `${(i % 10) / 3 - 1.5},${i % 3 === 0 ? 1 : 0}`),
].join("\n");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-provenance-"));
  mkdirSync(join(dir, "models/m"), { recursive: true });
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "models/m/model.onnx"), model);
  writeFileSync(join(dir, "data/eval.csv"), `${EVAL}\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function manifest(trainingData: string): LoadedManifest {
  const text = [
    "name: m",
    "version: 1.0.0",
    "task: binary",
    "owner: octocat",
    `artefact: { path: models/m/model.onnx, sha256: "${sha(model)}", outputs: { probabilities: probabilities }, classes: [0, 1], positive: 1 }`,
    `provenance: { training-data: ${trainingData}, code: train.py, commit: abc1234, params: { C: 0.5, penalty: l2 } }`,
    "evaluation: { data: data/eval.csv, label: y, metrics: [roc_auc], bootstrap: 0 }",
  ].join("\n");
  return { manifest: parseManifest(text, FILE), file: FILE } as LoadedManifest;
}

describe("collectProvenance", () => {
  it("records the evaluation data's digest, the ONNX metadata and the runtimes, and verifies training data it can read", async () => {
    writeFileSync(join(dir, "data/train.csv"), TRAIN);
    const loaded = manifest(`{ path: data/train.csv, sha256: "${sha(TRAIN)}" }`);
    const p = await collectProvenance(loaded, {
      cwd: dir,
      dataFiles: ["data/eval.csv"],
      modelPath: join(dir, "models/m/model.onnx"),
    });
    expect(p.evaluationData.files).toEqual([
      { path: "data/eval.csv", sha256: sha(`${EVAL}\n`), bytes: Buffer.byteLength(`${EVAL}\n`) },
    ]);
    expect(p.model).toEqual({
      irVersion: 8,
      producer: "gauntlet-fixtures 1",
      opsets: { "": 17, "ai.onnx.ml": 3 },
    });
    expect(p.runtime).toEqual({
      gauntlet: GAUNTLET_VERSION,
      node: process.version,
      onnxruntime: onnxruntimeVersion(),
    });
    expect(p.trainingData).toMatchObject({
      location: "data/train.csv",
      sha256: sha(TRAIN),
      verified: "verified",
    });
    expect(p.code).toEqual({ path: "train.py", commit: "abc1234" });
    expect(p.params).toEqual({ C: 0.5, penalty: "l2" });
  });

  it("marks training data it cannot reach 'not verified', with the reason, and has no ONNX fields without a model", async () => {
    const absent = await collectProvenance(
      manifest(`{ path: data/train.csv, sha256: "${"a".repeat(64)}" }`),
      {
        cwd: dir,
        dataFiles: [],
        modelPath: undefined,
      },
    );
    expect(absent.trainingData).toMatchObject({
      verified: "not verified",
      reason: "data/train.csv is not in the workspace of this run",
    });
    expect(absent.model).toBeNull();
    expect(absent.runtime.onnxruntime).toBeNull();
    const remote = await collectProvenance(
      manifest(`{ uri: "s3://b/train.csv", sha256: "${"a".repeat(64)}" }`),
      {
        cwd: dir,
        dataFiles: [],
        modelPath: undefined,
      },
    );
    expect(remote.trainingData?.verified).toBe("not verified");
    expect(remote.trainingData?.reason).toContain("outside the repository");
  });

  it("a training data file whose digest differs from the manifest's is one error naming the field", async () => {
    writeFileSync(join(dir, "data/train.csv"), TRAIN);
    const error = await collectProvenance(manifest(`{ path: data/train.csv, sha256: "${"b".repeat(64)}" }`), {
      cwd: dir,
      dataFiles: [],
      modelPath: undefined,
    }).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain("provenance.training-data.sha256");
  });

  it("reaches evaluation.json and the model card", async () => {
    const loaded = manifest(`{ uri: "s3://b/train.csv", sha256: "${"a".repeat(64)}" }`);
    const { result } = await evaluateModel(loaded, { cwd: dir, resolveBaseline: offlineBaselineResolver });
    expect(result.provenance?.evaluationData.files.map((f) => f.sha256)).toEqual([sha(`${EVAL}\n`)]);
    expect(result.provenance?.model?.opsets[""]).toBe(17);
    const card = renderModelCard({
      manifest: loaded.manifest,
      commit: "c".repeat(40),
      artefact: { name: "model.onnx", sha256: sha(model), size: model.length },
      evaluation: JSON.parse(JSON.stringify(result)),
      verdict: null,
      profile: false,
    });
    expect(card).toContain(`- Evaluation data: \`data/eval.csv\` SHA-256 \`${sha(`${EVAL}\n`)}\``);
    expect(card).toContain(
      "- ONNX: produced by `gauntlet-fixtures 1`, IR 8, opsets `ai.onnx` 17, `ai.onnx.ml` 3",
    );
    expect(card).toContain(
      `- Evaluated with gauntlet ${GAUNTLET_VERSION}, Node ${process.version}, onnxruntime ${onnxruntimeVersion()}`,
    );
    // The reason is escaped (a URL's `://` is broken so it does not link): match around it.
    expect(card).toMatch(
      /SHA-256 `a{64}` \(\*\*not verified\*\*: s3:\S*train\.csv is kept outside the repository/,
    );
    expect(card).toContain("- Code: `train.py` at `abc1234`");
    expect(card).toContain("- Parameters: C = 0.5, penalty = l2");
  });
});
