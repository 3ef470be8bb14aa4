import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContractValidator, kindsFromContract, parseManifest } from "@gauntlet/core";
import { readTable } from "@gauntlet/data";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoadedManifest } from "./load-manifest.js";
import { validateData } from "./validate.js";

// One data file is checked inside DuckDB, a glob of several is streamed through the validator:
// the verdicts, counts and listed rows must not depend on which.

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
  key: customer_id
  rows: { min: 10 }
  max-null-fraction: 0.1
  columns:
    age: { type: number, min: 18, max: 100, nullable: false }
    region: { type: category, values: [AE, SA], unseen: warn }
    signup: { type: timestamp, max-age: 365d }
`;
const HEADER = "customer_id,age,region,signup,note";
const ROWS = [
  "c1,31,AE,2024-05-01,",
  "c2,17,SA,2024-05-02,x",
  "c3,,EG,2024-05-03,",
  "c2,45,AE,2024-05-04,",
  "c5,abc,SA,2024-05-05,",
  "c6,101,QA,not a date,",
  "c7,40,AE,2024-05-07,",
  "c7,40,AE,2024-05-07,",
];
const NOW = new Date("2024-06-01T00:00:00Z");

let ws: string;
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), "gauntlet-validate-one-"));
  mkdirSync(join(ws, "data/parts"), { recursive: true });
  writeFileSync(join(ws, "data/eval.csv"), `${[HEADER, ...ROWS].join("\n")}\n`);
  writeFileSync(join(ws, "data/parts/a.csv"), `${[HEADER, ...ROWS.slice(0, 4)].join("\n")}\n`);
  writeFileSync(join(ws, "data/parts/b.csv"), `${[HEADER, ...ROWS.slice(4)].join("\n")}\n`);
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const loaded = (): LoadedManifest =>
  ({ file: FILE, manifest: parseManifest(MANIFEST, FILE) }) satisfies LoadedManifest;

describe("validateData on one file (checked inside DuckDB)", () => {
  it("gives the streaming validator's result: verdicts, counts, listed rows and profile", async () => {
    const { result } = await validateData(loaded(), { cwd: ws, data: "data/eval.csv", now: NOW });
    const contract = loaded().manifest.data!;
    const validator = createContractValidator(contract, {
      now: NOW,
      model: { name: "churn", version: "1.3.0" },
    });
    for await (const batch of readTable("data/eval.csv", { cwd: ws, kinds: kindsFromContract(contract) })) {
      validator.add(batch);
    }
    expect(result).toEqual(validator.finish());
    const failing = result.checks.filter((c) => c.status !== "pass").map((c) => `${c.id} ${c.column ?? ""}`);
    expect(failing).toEqual([
      "rows-min ",
      "key-unique customer_id",
      "duplicate-rows ",
      "parse age",
      "not-null age",
      "null-fraction age",
      "range-min age",
      "range-max age",
      "allowed-values region",
      "parse signup",
      "null-fraction note",
    ]);
  });

  it("gives the same verdicts and counts as the rows split over a glob of two files", async () => {
    const one = (await validateData(loaded(), { cwd: ws, data: "data/eval.csv", now: NOW })).result;
    const glob = (await validateData(loaded(), { cwd: ws, data: "data/parts/*.csv", now: NOW })).result;
    const verdicts = (checks: typeof one.checks) =>
      checks.map(({ id, column, status, value }) => ({ id, column, status, value }));
    expect(verdicts(one.checks)).toEqual(verdicts(glob.checks));
    expect(one.columns).toEqual(glob.columns);
  });
});
