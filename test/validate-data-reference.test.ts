import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { churnColumns, churnRows, writeCsv } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction } from "./support/run-action.js";
import { createWorkspace, type Workspace } from "./support/workspace.js";

const ACTION = join(import.meta.dirname, "..", "actions", "validate-data");
const now = "2025-06-01T00:00:00Z";
const MANIFEST = `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${"ab".repeat(32)}"
  inputs: auto
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
  key: customer_id
  columns:
    tenure_months: { type: number, min: 0 }
evaluation:
  data: data/eval.csv
  label: churned
  metrics: [roc_auc]
`;

let ws: Workspace;

function writeData(path: string, seed: number, drifted: boolean) {
  mkdirSync(dirname(ws.path(path)), { recursive: true });
  writeCsv(ws.path(path), churnColumns(false), churnRows({ seed, rows: 3_000, now, drifted }));
}

const run = (inputs: Record<string, string>) =>
  runAction(ACTION, {
    inputs: { manifest: "models/churn/model.yml", comment: "false", ...inputs },
    cwd: ws.dir,
    token: "unused",
  });

const read = (path: string) => JSON.parse(readFileSync(ws.path(path), "utf8"));

beforeEach(() => {
  ws = createWorkspace();
  ws.write("models/churn/model.yml", MANIFEST);
  writeData("data/train.csv", 1, false);
});

afterEach(() => ws.remove());

describe("validate-data with a reference", () => {
  it("passes data from the reference's population, with a drift check per column", async () => {
    writeData("data/eval.csv", 2, false);
    const result = await run({ reference: "data/train.csv" });
    expect(result.exitCode).toBe(0);
    const validation = read(".gauntlet/churn/validation.json");
    const drift = validation.checks.filter((c: { id: string }) => c.id === "drift");
    expect(drift.map((c: { column: string }) => c.column)).toContain("monthly_charges");
    expect(drift.map((c: { column: string }) => c.column)).not.toContain("customer_id");
    expect(drift.every((c: { status: string }) => c.status !== "fail")).toBe(true);
    expect(result.summary).toContain("Drift against the reference");
  });

  it("fails drifted data on the drifting columns", async () => {
    writeData("data/eval.csv", 2, true);
    const result = await run({ reference: "data/train.csv" });
    expect(result.exitCode).toBe(1);
    const failing = read(".gauntlet/churn/validation.json")
      .checks.filter((c: { id: string; status: string }) => c.id === "drift" && c.status === "fail")
      .map((c: { column: string }) => c.column);
    expect(failing).toEqual(expect.arrayContaining(["data_gb", "plan"]));
    expect(result.annotations.some((a) => a.title === "gauntlet: drift (data_gb)")).toBe(true);
  });

  it("rejects a profile.json of another model with one error", async () => {
    writeData("data/eval.csv", 2, false);
    ws.write(
      "ref/profile.json",
      JSON.stringify({
        schema: "gauntlet/profile@1",
        model: { name: "fraud", version: "1.0.0" },
        rows: 0,
        chunkRows: 1,
        columns: {},
      }),
    );
    const result = await run({ reference: "ref/profile.json" });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("of model 'fraud', not 'churn'");
  });
});
