// Batches and tiny ONNX models for this package's tests. The churn-shaped models come from
// @gauntlet/fixtures; the graphs here cover what those do not: rank-1 inputs, every feedable
// element type, string labels, pass-through probabilities and a fixed batch size.
import { type Batch, type Column, isUserError, type Manifest, type UserError } from "@gauntlet/core";
import { expect } from "vitest";
import {
  attr,
  type Dim,
  ElementType,
  encodeModel,
  floatTensor,
  int64Tensor,
  node,
  tensorInfo,
} from "../../../fixtures/src/onnx/onnx-graph.js";
import { checkSignature } from "./check-signature.js";
import { loadModel } from "./load-model.js";

/** The manifest every test model belongs to. */
export const manifestFile = "models/churn/model.yml";

/** Loads `bytes` and checks it against an `artefact:` section (default `inputs: auto`, no outputs). */
export async function prepare(bytes: Uint8Array, artefact: Partial<Manifest["artefact"]>) {
  const model = await loadModel(bytes, { manifestFile, threads: 1 });
  const full = { path: "m.onnx", inputs: "auto", outputs: {}, ...artefact } as Manifest["artefact"];
  return { model, mapping: checkSignature(model, full) };
}

/** The UserError a promise rejects with; fails the test when it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUserError(error)).toBe(true);
  return error as UserError;
}

/** Cells of one column: numbers (or booleans) make a number column, strings a category column. */
export type Cells = readonly (number | string | boolean | null)[];

/** A batch from plain columns; `null` cells are nulls. */
export function batchOf(columns: Record<string, Cells>, source = "data/eval.csv", firstRow = 1): Batch {
  const map = new Map<string, Column>();
  let length = 0;
  for (const [name, cells] of Object.entries(columns)) {
    length = cells.length;
    const nulls = Uint8Array.from(cells, (c) => (c === null ? 1 : 0));
    const sample = cells.find((c) => c !== null);
    if (typeof sample === "string") {
      map.set(name, { kind: "category", values: cells.map((c) => (c === null ? "" : String(c))), nulls });
    } else if (typeof sample === "boolean") {
      map.set(name, { kind: "boolean", values: Uint8Array.from(cells, (c) => (c ? 1 : 0)), nulls });
    } else {
      map.set(name, {
        kind: "number",
        values: Float64Array.from(cells, (c) => (c === null ? Number.NaN : Number(c))),
        nulls,
      });
    }
  }
  return { source, firstRow, length, columns: map, invalid: new Map() };
}

/** Rows `[start, end)` of a batch as a batch of its own, as a reader cutting a file would give. */
export function sliceBatch(batch: Batch, start: number, end: number): Batch {
  const columns = new Map<string, Column>();
  for (const [name, c] of batch.columns) {
    const nulls = c.nulls.slice(start, end);
    columns.set(name, { ...c, values: c.values.slice(start, end), nulls } as Column);
  }
  return { ...batch, firstRow: batch.firstRow + start, length: end - start, columns };
}

/** `rows` rows of numeric columns drawn uniformly from `[0, scale)`, float32-exact. */
export function numericColumns(names: readonly string[], rows: number, seed: number, scale = 10) {
  const next = uniform(seed);
  return Object.fromEntries(
    names.map((n) => [n, Array.from({ length: rows }, () => Math.fround(next() * scale))]),
  );
}

/** A seeded uniform generator (mulberry32) so test data is the same on every run. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Inputs of every rank and element type gauntlet feeds: `a` float `[N]`, `b` double `[N, 1]`,
 * `c` int64 `[N]`, `s` string `[N]`. Outputs `value` float `[N, 1]` = a + b + c + 10·[s = "x"] +
 * 20·[s = "y"], and `label` string `[N]` = {0: "low", 1: "mid", 2: "high"}[c], else "other".
 */
export function mixedModel(): Uint8Array {
  return encodeModel({
    name: "mixed",
    doc: "every feedable input rank and element type",
    inputs: [
      tensorInfo("a", "float", ["N"]),
      tensorInfo("b", "double", ["N", 1]),
      tensorInfo("c", "int64", ["N"]),
      tensorInfo("s", "string", ["N"]),
    ],
    outputs: [tensorInfo("value", "float", ["N", 1]), tensorInfo("label", "string", ["N"])],
    initializers: [int64Tensor("column_shape", [2], [-1, 1]), floatTensor("s_W", [2, 1], [10, 20])],
    nodes: [
      node("Reshape", ["a", "column_shape"], ["a2"]),
      node("Cast", ["b"], ["b2"], [attr.int("to", ElementType.float)]),
      node("Cast", ["c"], ["c_float"], [attr.int("to", ElementType.float)]),
      node("Reshape", ["c_float", "column_shape"], ["c2"]),
      node(
        "OneHotEncoder",
        ["s"],
        ["s_onehot"],
        [attr.strings("cats_strings", ["x", "y"]), attr.int("zeros", 1)],
        "ai.onnx.ml",
      ),
      node("MatMul", ["s_onehot", "s_W"], ["s2"]),
      node("Sum", ["a2", "b2", "c2", "s2"], ["value"]),
      node(
        "LabelEncoder",
        ["c"],
        ["label"],
        [
          attr.ints("keys_int64s", [0, 1, 2]),
          attr.strings("values_strings", ["low", "mid", "high"]),
          attr.string("default_string", "other"),
        ],
        "ai.onnx.ml",
      ),
    ],
  });
}

/** `probabilities` = the input `x` unchanged, so tests choose exactly what the "model" outputs. */
export function passThroughModel(shape: readonly Dim[] = ["N", 2]): Uint8Array {
  return encodeModel({
    name: "pass_through",
    doc: "probabilities = x",
    inputs: [tensorInfo("x", "float", shape)],
    outputs: [tensorInfo("probabilities", "float", shape)],
    nodes: [node("Identity", ["x"], ["probabilities"])],
  });
}
