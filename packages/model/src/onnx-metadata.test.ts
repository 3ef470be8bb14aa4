import { isUserError } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { logisticModel } from "../../../fixtures/src/onnx/logistic-model.js";
import { readOnnxMetadata } from "./onnx-metadata.js";
import { onnxruntimeVersion } from "./runtime-version.js";

const where = { file: "models/churn/model.yml", field: "artefact.path" };
const bytes = logisticModel({ weights: [0.1], bias: 0, features: ["age"] });

describe("readOnnxMetadata", () => {
  it("reads the IR version, producer and opsets the exporter wrote", () => {
    // encodeModel writes IR 8, producer gauntlet-fixtures 1, opsets 17 and ai.onnx.ml 3.
    expect(readOnnxMetadata(bytes, where)).toEqual({
      irVersion: 8,
      producer: "gauntlet-fixtures 1",
      opsets: { "": 17, "ai.onnx.ml": 3 },
    });
  });

  it("says null when the file names no producer, and refuses bytes that are not protobuf", () => {
    // A ModelProto with only ir_version = 7 (field 1, varint).
    expect(readOnnxMetadata(Uint8Array.of(0x08, 0x07), where)).toEqual({
      irVersion: 7,
      producer: null,
      opsets: {},
    });
    for (const bad of [bytes.subarray(0, bytes.length - 3), Uint8Array.of(0xff, 0xff, 0xff)]) {
      let error: unknown;
      try {
        readOnnxMetadata(bad, where);
      } catch (caught) {
        error = caught;
      }
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toContain("not an ONNX model");
    }
  });
});

describe("onnxruntimeVersion", () => {
  it("is onnxruntime-node's version", async () => {
    const pkg = await import("onnxruntime-node/package.json", { with: { type: "json" } });
    expect(onnxruntimeVersion()).toBe(pkg.default.version);
  });
});
