import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseManifest } from "@gauntlet/core";
import {
  churnColumns,
  churnRows,
  type PredictionLogOptions,
  predictionLogRows,
  type Row,
  writeCsv,
  writeJsonl,
} from "@gauntlet/fixtures";
import { buildReferenceProfile } from "@gauntlet/steps";
import type { GitHubServer } from "./github-server.js";
import type { Workspace } from "./workspace.js";

/** The end of every logged period in these tests. */
export const LOG_NOW = "2025-06-01T00:00:00Z";

/** A binary churn manifest with a `monitoring:` section; `extra` is appended under it. */
export function driftManifest(options: { owner?: string; extra?: string; version?: string } = {}): string {
  return `name: churn
version: ${options.version ?? "1.2.0"}
task: binary
owner: "${options.owner ?? "octocat"}"
artefact:
  path: models/churn/model.onnx
  sha256: "${"ab".repeat(32)}"
  inputs:
    numeric: [tenure_months, monthly_charges, support_calls, data_gb, age]
    region: region
    plan: plan
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
evaluation:
  data: data/eval.csv
  label: churned
  metrics: [roc_auc]
monitoring:
  predictions: logs/*.jsonl
  version-field: model_version
  features: inputs
  id: request_id
  timestamp: ts
  score: score
  outcome: churned
  window: 6h
${options.extra ?? ""}`;
}

/** A calibrated-enough score: a logistic function of the logged inputs. */
export function score(rows: readonly Row[]): Float64Array {
  return Float64Array.from(rows, (r) => {
    const logit =
      1.5 -
      1.4 * Math.log1p(Number(r["tenure_months"])) +
      0.8 * Number(r["support_calls"]) +
      0.03 * (Number(r["monthly_charges"]) - 25);
    return 1 / (1 + Math.exp(-logit));
  });
}

/** Writes the reference data `data/eval.csv` and returns its profile (what promote attaches). */
export async function writeReference(ws: Workspace, manifestText: string, rows = 4_000) {
  mkdirSync(dirname(ws.path("data/eval.csv")), { recursive: true });
  writeCsv(ws.path("data/eval.csv"), churnColumns(false), churnRows({ seed: 5, rows, now: LOG_NOW }));
  const manifest = parseManifest(manifestText, "models/churn/model.yml");
  return buildReferenceProfile(manifest, { cwd: ws.dir, path: ws.path(".reference/profile.json") });
}

/** Replaces the logs with one JSONL file of prediction-log rows. */
export function writeLogs(
  ws: Workspace,
  options: Partial<PredictionLogOptions> = {},
  file = "logs/predictions.jsonl",
): number {
  mkdirSync(dirname(ws.path(file)), { recursive: true });
  return writeJsonl(
    ws.path(file),
    predictionLogRows({ seed: 9, rows: 3_000, now: LOG_NOW, score, modelVersion: "1.2.0", ...options }),
  );
}

/** Seeds the release `churn v1.2.0` with profile.json and points `churn/production` at its commit. */
export function seedProductionRelease(
  server: GitHubServer,
  ws: Workspace,
  model = "churn",
  extraAssets: { name: string; data: Buffer; contentType: string }[] = [],
): void {
  const commit = server.seed.commit({ message: `Release ${model} 1.2.0`, branch: "main" });
  server.seed.ref(`tags/${model}/v1.2.0`, commit.sha);
  server.seed.ref(`tags/${model}/production`, commit.sha);
  server.seed.release({
    tagName: `${model}/v1.2.0`,
    name: `${model} v1.2.0`,
    assets: [
      {
        name: "profile.json",
        data: readFileSync(ws.path(".reference/profile.json")),
        contentType: "application/json",
      },
      ...extraAssets,
    ],
  });
}
