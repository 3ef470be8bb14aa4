// check-behaviour throughput: the example model (examples/churn, an ONNX pipeline) judged on
// generated probes — invariance, directional, edge-case, robustness and out-of-distribution copies
// of 1,000 sampled evaluation rows, well over 10,000 probes — as `gauntlet behaviour` does. Target:
// 10,000 probes scored and judged in under 2 s. The wall time covers everything the step does:
// loading the model, reading and sampling the data, building, scoring and judging every probe.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkBehaviour, loadManifest } from "@gauntlet/steps";
import { figure, OUT, peakRssMb } from "./support.mjs";
import { againstTarget, machineLine } from "./support-report.mjs";

const example = join(dirname(fileURLToPath(import.meta.url)), "..", "examples", "churn");
const dir = join(OUT, "behaviour");
mkdirSync(join(dir, "models", "churn"), { recursive: true });
cpSync(join(example, "data"), join(dir, "data"), { recursive: true });
cpSync(join(example, "models", "churn", "model.onnx"), join(dir, "models", "churn", "model.onnx"));
const SAMPLE = 1000;
const VALUES = 5;
const REPEATS = 3;
const EDGE_ROWS = 20;
const base = `name: churn
version: 1.0.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  inputs: { numeric: [tenure_months, monthly_charges, support_calls, data_gb, age], region: region, plan: plan }
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
data:
  columns:
    tenure_months:   { type: number, min: 0, max: 600, nullable: false }
    monthly_charges: { type: number, min: 0 }
    support_calls:   { type: number, min: 0 }
    data_gb:         { type: number, min: 0 }
    age:             { type: number, min: 18, max: 120 }
    region:          { type: category, values: [AE, SA, EG, JO, MA, KW, QA] }
    plan:            { type: category, values: [prepaid_basic, prepaid_plus, postpaid] }
evaluation: { data: data/eval.csv, label: churned, metrics: [roc_auc], seed: 7 }
behaviour:
  sample: ${SAMPLE}
  invariance: [ { column: age, range: [25, 60], tolerance: 0.1 } ]
  directional: [ { column: support_calls, by: 2, expect: increase } ]
  edge-cases: { rows: ${EDGE_ROWS} }
  robustness: { noise: 0.05, max-flip-rate: 0.05, repeats: ${REPEATS} }
`;
writeFileSync(join(dir, "models", "churn", "model.yml"), base);

machineLine();
const loaded = await loadManifest("models/churn/model.yml", dir);
const started = performance.now();
const { result } = await checkBehaviour(loaded, { cwd: dir });
const seconds = (performance.now() - started) / 1000;
const judged = Object.fromEntries(result.tests.map((t) => [t.name, t.candidate.judged]));
// Rows scored: the sample, then each test's probes (an invariance row per value, an edge value on
// EDGE_ROWS rows, every perturbed and far-out copy).
const probes =
  result.sample.rows +
  judged["invariance:age"] * VALUES +
  result.sample.rows +
  judged["edge-cases"] * EDGE_ROWS +
  judged["robustness-flip-rate"] +
  judged["out-of-distribution"];
figure("sampled rows", result.sample.rows);
figure("probes scored and judged", probes);
figure("tests", result.tests.map((t) => `${t.name} ${t.candidate.status}`).join(", "));
figure("wall time", seconds, "s");
figure("throughput", Math.round(probes / seconds), "probes/s");
againstTarget("time per 10,000 probes", (seconds * 10_000) / probes, "s", 2);
againstTarget("wall time (all probes)", seconds, "s", 2);
figure("peak RSS", peakRssMb(), "MB");
