/** The binary churn manifest the monitoring tests share; `extra` is appended under `monitoring:`. */
export function monitoringManifest(
  extra: string,
  options: { score?: boolean; outcome?: boolean; window?: string } = {},
): string {
  return `name: churn
version: 1.2.0
task: binary
owner: octocat
artefact:
  path: m.onnx
  inputs: { numeric: [tenure_months, monthly_charges, age], region: region }
  outputs: { probabilities: p }
  classes: [0, 1]
  positive: 1
monitoring:
  predictions: logs/*.jsonl
  version-field: model_version
  features: inputs
  timestamp: ts
${options.score === false ? "" : "  score: score\n"}${options.outcome ? "  outcome: churned\n" : ""}  window: ${options.window ?? "6h"}
${extra}`;
}

/** A model that ranks churners well on the churn fixture (realised ROC AUC about 0.8). */
export const churnScore = (rows: readonly Record<string, unknown>[]) =>
  Float64Array.from(rows, (r) => 1 / (1 + Math.exp(Number(r["tenure_months"]) / 20 - 1)));
