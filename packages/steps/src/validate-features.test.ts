import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isUserError, parseManifest, type UserError } from "@gauntlet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoadedManifest } from "./load-manifest.js";
import { validateData } from "./validate.js";

// The data contract of a model, checked on its prediction log: the log nests the features under
// `inputs`, as shadow.features and monitoring.features read it.

const FILE = "models/churn/model.yml";
const MANIFEST = `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  inputs: { numeric: [age], categorical: [region] }
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
  key: request_id
  columns:
    age: { type: number, min: 18, max: 100, nullable: false }
    region: { type: category, values: [AE, SA], unseen: error }
`;

let ws: string;
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), "gauntlet-validate-features-"));
  mkdirSync(join(ws, "logs"));
  const rows = [
    { request_id: "r1", inputs: { age: 31, region: "AE" }, score: 0.2 },
    { request_id: "r2", inputs: { age: 45, region: "SA" }, score: 0.7 },
    { request_id: "r3", inputs: { age: 12, region: "EG" }, score: 0.4 },
  ];
  writeFileSync(join(ws, "logs/day.jsonl"), `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`);
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const loaded = (): LoadedManifest =>
  ({ file: FILE, manifest: parseManifest(MANIFEST, FILE) }) satisfies LoadedManifest;

async function validationError(features: string | undefined): Promise<UserError> {
  try {
    await validateData(loaded(), { cwd: ws, data: "logs/day.jsonl", features, now: new Date() });
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("validateData with features (nested prediction logs)", () => {
  it("checks the fields of the features object as the contract's columns, the key at the top", async () => {
    const { result } = await validateData(loaded(), {
      cwd: ws,
      data: "logs/day.jsonl",
      features: "inputs",
      now: new Date(),
    });
    expect(result.data.rows).toBe(3);
    const statuses = Object.fromEntries(
      result.checks.map((c) => [`${c.id} ${c.column ?? ""}`.trim(), c.status]),
    );
    expect(statuses).toMatchObject({
      "key-unique request_id": "pass",
      "column-present age": "pass",
      "column-present region": "pass",
      "not-null age": "pass",
      "range-min age": "fail",
      "range-max age": "pass",
      "allowed-values region": "fail",
    });
  });

  it("says to set features when the rows nest every contract column under one object", async () => {
    const error = await validationError(undefined);
    expect(error.problem).toBe(
      'none of the 2 contract columns is a column of logs/day.jsonl: its rows nest them under "inputs" (e.g. inputs.age)',
    );
    expect(error.fix).toBe(
      "set the `features` input to inputs to check its fields as the contract's columns",
    );
  });

  it("names the object that holds the features when features names another", async () => {
    const error = await validationError("features");
    expect(error.problem).toBe('the data logs/day.jsonl has no object "features" holding the features');
    expect(error.fix).toMatch(/^set the `features` input to inputs, the object that holds them/);
  });
});
