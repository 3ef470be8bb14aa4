import { type FixtureSet, writeFixtureSet } from "./fixture-set.js";

/** The generated shadow logs and models, written once per test file. */
export interface ShadowFixtures extends FixtureSet {
  /** The log's rows as parsed JSON objects. */
  rows(path: string): Record<string, unknown>[];
}

/**
 * Writes the standard fixtures (4,000 logged requests per shadow log) into a temp directory.
 *
 * @example
 * const fx = writeShadowFixtures();
 * ws.write("logs/shadow.jsonl", fx.bytes("logs/shadow-agreeing.jsonl"));
 */
export function writeShadowFixtures(): ShadowFixtures {
  const set = writeFixtureSet("gauntlet-shadow-fx-", { rows: 4000, trainRows: 8000, seed: 7 });
  return {
    ...set,
    rows: (path) =>
      set
        .bytes(path)
        .toString("utf8")
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Fields of the shadow manifest a test varies. */
export interface ShadowManifestOptions {
  sha256: string;
  /** `shadow_score`, or `null` to leave the candidate's score unlogged. */
  challenger?: string | null;
  /** Extra lines inside `shadow:`. */
  extra?: string;
}

/**
 * The churn manifest with a `shadow:` section over `logs/shadow.jsonl`, sliced by region.
 *
 * @example
 * ws.write("models/churn/model.yml", shadowManifest({ sha256 }));
 */
export function shadowManifest(options: ShadowManifestOptions): string {
  const challenger = options.challenger === undefined ? "shadow_score" : options.challenger;
  return `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${options.sha256}"
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
  metrics: [roc_auc, accuracy]
  slices: [region]
  bootstrap: 200
  seed: 7
shadow:
  log: logs/shadow.jsonl
  id: request_id
  features: inputs
  champion: score
${challenger ? `  challenger: ${challenger}\n` : ""}  latency: latency_ms
${options.extra ?? ""}`;
}
