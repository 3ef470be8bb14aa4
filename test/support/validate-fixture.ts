import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { churnColumns, churnRows, writeCsv } from "@gauntlet/fixtures";
import type { Workspace } from "./workspace.js";

/**
 * A small manifest for validate-data: the contract only bounds the row count, so a test sets
 * `rowsMin` above the data's 200 rows to make the check fail.
 *
 * @example
 * ws.write("models/churn/model.yml", validateManifest({ rowsMin: 10 }));
 */
export function validateManifest(options: { name?: string; rowsMin: number }): string {
  return `name: ${options.name ?? "churn"}
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
  rows: { min: ${options.rowsMin} }
evaluation:
  data: data/eval.csv
  label: churned
  metrics: [roc_auc]
`;
}

/** Writes 200 seeded churn rows to `data/eval.csv`, the data `validateManifest` names. */
export function writeValidateData(ws: Workspace): void {
  mkdirSync(dirname(ws.path("data/eval.csv")), { recursive: true });
  writeCsv(
    ws.path("data/eval.csv"),
    churnColumns(false),
    churnRows({ seed: 3, rows: 200, now: new Date().toISOString() }),
  );
}
