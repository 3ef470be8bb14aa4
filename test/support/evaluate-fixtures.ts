import { type FixtureSet, writeFixtureSet } from "./fixture-set.js";
import type { GitHubServer } from "./github-server.js";
import type { Workspace } from "./workspace.js";

/** The generated evaluation data and models, written once per test file. */
export type EvaluateFixtures = FixtureSet;

/**
 * Writes the standard fixtures (5,000 eval rows: enough for the MA regression of the candidate
 * to be significant with 200 replicates) into a temp directory.
 *
 * @example
 * const fx = writeEvaluateFixtures();
 * ws.write("models/churn/model.onnx", fx.bytes("models/candidate.onnx"));
 */
export function writeEvaluateFixtures(): EvaluateFixtures {
  return writeFixtureSet("gauntlet-eval-fx-", { rows: 5000, trainRows: 8000, seed: 7 });
}

/** Fields of the churn manifest a test varies. */
export interface ChurnManifestOptions {
  version?: string;
  sha256: string;
  baseline?: string;
  label?: string;
  /** Replaces the `artefact.inputs` block. */
  inputs?: string;
  /** `evaluation.data`; default `data/eval.csv`. */
  data?: string;
  metrics?: string;
  /** `evaluation.weight`: the column of per-row sample weights. */
  weight?: string;
}

/**
 * The churn (binary) manifest of the e2e tests, sliced by region and tenure bins.
 *
 * @example
 * ws.write("models/churn/model.yml", churnManifest({ sha256, baseline: "production" }));
 */
export function churnManifest(options: ChurnManifestOptions): string {
  const inputs =
    options.inputs ??
    "numeric: [tenure_months, monthly_charges, support_calls, data_gb, age]\n    region: region\n    plan: plan";
  return `name: churn
version: ${options.version ?? "1.3.0"}
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${options.sha256}"
  inputs:
    ${inputs}
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
  key: customer_id
  columns:
    region: { type: category }
    plan: { type: category }
evaluation:
  data: ${options.data ?? "data/eval.csv"}
  label: ${options.label ?? "churned"}
  metrics: ${options.metrics ?? "[roc_auc, average_precision, log_loss, brier]"}
  slices:
    - region
    - { column: tenure_months, bins: [6, 12, 24, 60] }
  min-slice-size: 30
  bootstrap: 200
  seed: 7
${options.baseline ? `  baseline: ${options.baseline}\n` : ""}${options.weight ? `  weight: ${options.weight}\n` : ""}`;
}

/**
 * The plan (multiclass) manifest: three plans from the numeric features.
 *
 * @example
 * ws.write("models/plan/model.yml", multiclassManifest(fx.sha256("models/multiclass.onnx")));
 */
export function multiclassManifest(sha256: string): string {
  return `name: plan
version: 0.1.0
task: multiclass
owner: "@acme/risk-ml"
artefact:
  path: models/plan/model.onnx
  sha256: "${sha256}"
  inputs:
    numeric: [tenure_months, monthly_charges, support_calls, data_gb, age]
  outputs: { probabilities: probabilities }
  classes: [0, 1, 2]
evaluation:
  data: data/eval-multiclass.csv
  label: plan_id
  metrics: [accuracy, f1_macro, log_loss]
  slices: [region]
  bootstrap: 200
  seed: 7
  baseline: production
`;
}

/**
 * The charges (regression) manifest, compared with a baseline given as a path.
 *
 * @example
 * ws.write("models/charges/model.yml", regressionManifest(sha, "models/charges/previous.onnx"));
 */
export function regressionManifest(sha256: string, baseline: string): string {
  return `name: charges
version: 2.0.0
task: regression
owner: "@acme/risk-ml"
artefact:
  path: models/charges/model.onnx
  sha256: "${sha256}"
  inputs:
    numeric: [tenure_months, data_gb, support_calls, age]
  outputs: { value: variable }
evaluation:
  data: data/eval-regression.csv
  label: monthly_charges
  metrics: [rmse, mae, r2]
  slices: [region, [region, plan]]
  bootstrap: 200
  seed: 7
  baseline: ${baseline}
`;
}

/**
 * Seeds a model registry as promote leaves it: an older release at another commit, then
 * `<model> v<version>` tagged at a commit that the `<model>/production` alias also points at, each
 * release with its `.onnx` asset.
 *
 * @example
 * seedRegistry(server, { model: "churn", version: "1.2.0", model: fx.bytes("models/production.onnx"), older: … });
 */
export function seedRegistry(
  server: GitHubServer,
  options: { model: string; version: string; artefact: Buffer; older: { version: string; artefact: Buffer } },
): void {
  const release = (version: string, artefact: Buffer) => {
    const commit = server.seed.commit({ message: `Promote ${options.model} ${version}`, branch: "main" });
    server.seed.annotatedTag({ tag: `${options.model}/v${version}`, sha: commit.sha });
    server.seed.release({
      tagName: `${options.model}/v${version}`,
      name: `${options.model} v${version}`,
      assets: [
        { name: "evaluation.json", data: "{}", contentType: "application/json" },
        { name: `${options.model}.onnx`, data: artefact },
      ],
    });
    return commit.sha;
  };
  release(options.older.version, options.older.artefact);
  const current = release(options.version, options.artefact);
  server.seed.ref(`tags/${options.model}/production`, current);
}

/**
 * Copies the churn data and a model into the workspace.
 *
 * @example
 * placeChurn(ws, fx, "models/candidate.onnx");
 */
export function placeChurn(ws: Workspace, fx: EvaluateFixtures, model: string): void {
  ws.write("data/eval.csv", fx.bytes("eval.csv"));
  ws.write("models/churn/model.onnx", fx.bytes(model));
}
