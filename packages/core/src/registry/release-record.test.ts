import { describe, expect, it } from "vitest";
import { parseManifest } from "../manifest/parse-manifest.js";
import { renderModelCard } from "./model-card.js";
import { readReleaseRecord, releaseRecordComment } from "./release-record.js";

const manifest = parseManifest(
  [
    "name: churn",
    "version: 1.1.0",
    "task: binary",
    'owner: "@acme/risk-ml"',
    "artefact: { path: m.onnx, outputs: { probabilities: p }, classes: [0, 1], positive: 1 }",
    `provenance: { training-data: { uri: "s3://b/train.csv", sha256: ${"d".repeat(64)} }, code: train.py, commit: abc1234 }`,
  ].join("\n"),
  "models/churn/model.yml",
);

describe("release record", () => {
  it("is read back from the model card it is hidden in", () => {
    const card = renderModelCard({
      manifest,
      commit: "b".repeat(40),
      artefact: { name: "model.onnx", sha256: "e".repeat(64), size: 10 },
      verdict: {
        pullNumber: 9,
        headSha: "c".repeat(40),
        conclusion: "success",
        approvers: ["octocat", "x-y"],
      },
      profile: false,
    });
    expect(readReleaseRecord(card)).toEqual({
      model: "churn",
      version: "1.1.0",
      commit: "b".repeat(40),
      artefact: { name: "model.onnx", sha256: "e".repeat(64) },
      pull: { number: 9, headSha: "c".repeat(40), approvers: ["octocat", "x-y"] },
      gate: "success",
      trainingData: { location: "s3://b/train.csv", sha256: "d".repeat(64), verified: "not verified" },
      code: { path: "train.py", commit: "abc1234" },
    });
  });

  it("cannot be closed early by a value, and is absent from a body without one", () => {
    const record = {
      model: "m",
      version: "1.0.0",
      commit: "a".repeat(40),
      artefact: { name: "evil --> <b>x</b>.onnx", sha256: "e".repeat(64) },
      pull: null,
      gate: null,
      trainingData: null,
      code: null,
    };
    const comment = releaseRecordComment(record);
    expect(comment.indexOf("-->")).toBe(comment.length - 3);
    expect(readReleaseRecord(`# card\n\n${comment}\n`)).toEqual(record);
    expect(readReleaseRecord("# churn v1.2.0\n")).toBeUndefined();
    expect(readReleaseRecord("<!-- gauntlet:release {not json} -->")).toBeUndefined();
  });
});
