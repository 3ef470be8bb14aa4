import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  evaluateGate,
  mermaidXyChart,
  renderGateSection,
  renderStickyComment,
  upsertSection,
} from "@gauntlet/core";
import { evaluateModel, loadManifest, offlineBaselineResolver, validateData } from "@gauntlet/steps";

/** A slice value built to break every layer it passes through: tables, code spans, HTML, mentions, Mermaid. */
export const HOSTILE_REGION = 'KW|`x` <script>alert(1)</script> @everyone "q" [b] ]';

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "churn");

/** Quotes a CSV field the RFC 4180 way. */
const csvField = (value: string): string =>
  /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/**
 * Writes a workspace with the example's model and evaluation data, in which every `KW` customer
 * lives in {@link HOSTILE_REGION} instead, and a manifest whose contract does not list that
 * region (so it appears in a warning check as well as in the slices).
 */
function writeHostileWorkspace(dir: string): void {
  mkdirSync(join(dir, "models", "churn"), { recursive: true });
  mkdirSync(join(dir, "data"), { recursive: true });
  copyFileSync(join(EXAMPLE, "models", "churn", "model.onnx"), join(dir, "models", "churn", "model.onnx"));
  copyFileSync(join(EXAMPLE, "models", "churn", "model.onnx"), join(dir, "models", "churn", "baseline.onnx"));
  const [header, ...rows] = readFileSync(join(EXAMPLE, "data", "eval.csv"), "utf8")
    .trimEnd()
    .split("\n");
  const region = header!.split(",").indexOf("region");
  const hostile = rows.map((line) => {
    const cells = line.split(",");
    if (cells[region] === "KW") cells[region] = csvField(HOSTILE_REGION);
    return cells.join(",");
  });
  writeFileSync(join(dir, "data", "eval.csv"), `${[header, ...hostile].join("\n")}\n`);
  const example = readFileSync(join(EXAMPLE, "models", "churn", "model.yml"), "utf8");
  const sha256 = /\n {2}sha256: "([0-9a-f]{64})"/.exec(example)![1]!;
  writeFileSync(
    join(dir, "models", "churn", "model.yml"),
    `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${sha256}"
  inputs:
    numeric: [tenure_months, monthly_charges, support_calls, data_gb, age]
    region: region
    plan: plan
  outputs: { probabilities: probabilities, label: label }
  classes: [0, 1]
  positive: 1
data:
  key: customer_id
  columns:
    region: { type: category, values: [AE, SA, EG, JO, MA, QA], unseen: warn }
    tenure_months: { type: number, min: 0 }
evaluation:
  data: data/eval.csv
  label: churned
  metrics: [roc_auc, recall, accuracy]
  slices:
    - region
    - { column: tenure_months, bins: [0, 6, 12, 24, 60] }
    - [region, plan]
  bootstrap: 50
  seed: 7
  baseline: models/churn/baseline.onnx
gate:
  rules:
    - { metric: roc_auc, min: 0.80 }
    - { metric: recall, slices: [region], min: 0.45 }
    - { metric: roc_auc, slices: all, max-drop: 0.01, vs: baseline }
    - { fairness: recall, across: region, max-gap: 0.10 }
  approvals: { min: 2, from: [octocat, "@acme/risk-leads"] }
  require: [validate-data, evaluate-slices]
`,
  );
}

/**
 * The sticky PR comment the actions would post for the hostile workspace, built by the real steps
 * and renderers (validate-data's "Data" section, evaluate-slices' "Evaluation" section with its
 * Mermaid chart, release-gate's "Gate" section from `evaluateGate` over those two results and one
 * approving review, upserted one after the other as the jobs do), followed by a standalone
 * `xychart-beta` block whose labels are the hostile slice value and its crosses.
 */
export async function renderHostileComment(
  dir: string,
): Promise<{ markdown: string; chartLabels: string[] }> {
  writeHostileWorkspace(dir);
  const loaded = await loadManifest("models/churn/model.yml", dir);
  const validation = await validateData(loaded, { cwd: dir, now: new Date("2025-06-01T00:00:00Z") });
  const evaluation = await evaluateModel(loaded, { cwd: dir, resolveBaseline: offlineBaselineResolver });
  // The evaluate job finds the comment the validate job wrote and adds its section.
  const afterValidate = renderStickyComment("churn", [{ name: "data", markdown: validation.markdown }]);
  const afterEvaluate = upsertSection(afterValidate, "churn", "evaluation", evaluation.markdown);
  // The gate job reads both results back as JSON, as it does from the downloaded artifacts.
  const gate = evaluateGate({
    manifest: loaded.manifest,
    results: {
      validation: JSON.parse(JSON.stringify(validation.result)),
      evaluation: JSON.parse(JSON.stringify(evaluation.result)),
    },
    artefactSha256: loaded.manifest.artefact.sha256!,
    approvals: {
      reviews: [
        { user: "octocat", state: "APPROVED", commitId: "h".repeat(40), submittedAt: "2025-06-01T10:00:00Z" },
      ],
      headSha: "h".repeat(40),
      author: "data-scientist",
      teamMembers: { "@acme/risk-leads": [] },
    },
  });
  const body = upsertSection(afterEvaluate, "churn", "gate", renderGateSection(gate));
  const chartLabels = [`region=${HOSTILE_REGION}`, "region=AE", `plan=postpaid, region=${HOSTILE_REGION}`];
  const chart = mermaidXyChart({
    title: `recall by "slice" <b>`,
    xTitle: "slice",
    yTitle: "recall",
    labels: chartLabels,
    bar: [0.52, 0.48, 0.61],
    line: [0.5, 0.49, 0.55],
    maxLabelLength: 80,
  });
  return { markdown: `${body}\n#### Recall by slice\n\n${chart}\n`, chartLabels };
}
