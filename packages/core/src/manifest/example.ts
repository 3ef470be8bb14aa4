/**
 * The complete example manifest from DESIGN.md (with real digests in place of `<hex>`): every
 * section, as a new user would copy it. Used by tests, and by anything that scaffolds a manifest.
 *
 * @example
 * parseManifest(EXAMPLE_MANIFEST_YAML, "models/churn/model.yml").name; // "churn"
 */
export const EXAMPLE_MANIFEST_YAML = `name: churn                       # [a-z0-9-]+, unique in the repo
version: 1.3.0                    # semver; a merged increase is promoted
task: binary                      # binary | multiclass | regression
owner: "@acme/risk-ml"            # user or team: drift issues are assigned to / mention it
description: Monthly churn propensity for prepaid subscribers

artefact:
  path: models/churn/model.onnx   # repo-relative (or uri: + sha256:, fetched by an earlier step)
  sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
  inputs:                         # model input name -> the column(s) that feed it
    numeric: [tenure_months, monthly_charges, support_calls, data_gb, age]
    region: region
    plan: plan
  outputs:
    probabilities: probabilities
    label: label
  classes: [0, 1]
  positive: 1

provenance:
  training-data: { path: data/train.parquet, sha256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" }
  code: train.py
  params: { C: 1.0 }

limitations:
  - Trained on prepaid subscribers only; do not score postpaid accounts.

data:
  key: customer_id
  rows: { min: 1000 }
  max-null-fraction: 0.01
  columns:
    tenure_months:   { type: number, min: 0, max: 600, nullable: false }
    monthly_charges: { type: number, min: 0 }
    region:          { type: category, values: [AE, SA, EG, JO, MA, KW, QA], unseen: error }
    signup_date:     { type: timestamp, max-age: 30d }

evaluation:
  data: data/eval.csv
  label: churned
  threshold: 0.5
  metrics: [roc_auc, average_precision, f1, precision, recall, accuracy, log_loss, brier, ece]
  slices:
    - region
    - { column: tenure_months, bins: [0, 6, 12, 24, 60] }
    - [region, plan]
  min-slice-size: 30
  bootstrap: 1000
  seed: 7
  baseline: production

gate:
  rules:
    - { metric: roc_auc, min: 0.80 }
    - { metric: roc_auc, slices: all, min: 0.70 }
    - { metric: roc_auc, max-drop: 0.01, vs: baseline }
    - { metric: recall, slices: [region], max-drop: 0.03, vs: baseline, confidence: 0.95 }
    - { fairness: recall, across: region, max-gap: 0.05 }
  approvals: { min: 1, from: [octocat, "@acme/risk-leads"] }
  require: [validate-data, evaluate-slices]

shadow:
  log: logs/shadow/*.jsonl
  id: request_id
  features: inputs
  champion: score
  max-disagreement: 0.05

monitoring:
  predictions: logs/predictions/*.jsonl
  reference: production
  version-field: model_version
  features: inputs
  id: request_id
  timestamp: ts
  score: score
  outcome: churned
  window: 1d
  drift: { method: auto, warn: 0.1, alert: 0.2 }
  retrain: { workflow: retrain.yml, after: 3 }
`;
