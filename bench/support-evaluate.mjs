// The evaluation manifest shared by the evaluate benches: the churn data with 10 slice columns,
// nine binary metrics and a 100-tree candidate against a 100-tree baseline.
import { EVAL_METRICS, EVAL_SLICES } from "./python/inputs.mjs";

/** The bench's model.yml for `data` (a churnCsv result) and the two benchModels() models. */
export function evaluationManifest(data, candidate, baseline, { replicates = 1000, name = "churn" } = {}) {
  const category = (column, values) => `    ${column}: { type: category, values: [${values.join(", ")}] }`;
  return `name: ${name}
version: 2.0.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: ${candidate.path}
  sha256: "${candidate.sha256}"
  inputs:
    numeric: [${candidate.features.join(", ")}]
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
  key: customer_id
  columns:
${category("region", ["AE", "SA", "EG", "JO", "MA", "KW", "QA"])}
${category("plan", ["prepaid_basic", "prepaid_plus", "postpaid"])}
${category("payment_method", ["cash", "card", "wallet", "direct_debit"])}
${category("device_os", ["android", "ios", "feature_phone"])}
evaluation:
  data: ${data.path}
  label: churned
  threshold: 0.5
  metrics: [${EVAL_METRICS.join(", ")}]
  slices:
${EVAL_SLICES.map((s) => `    - ${JSON.stringify(s)}`).join("\n")}
  min-slice-size: 30
  bootstrap: ${replicates}
  seed: 7
  baseline: ${baseline.path}
`;
}
