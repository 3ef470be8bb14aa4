// Hand-built inputs for the release-gate end-to-end tests: a churn manifest whose gate holds
// roc_auc and recall to values, changes and parity across region, an artefact file, and
// `gauntlet/evaluation@1` files whose numbers each test chooses.
import { createHash } from "node:crypto";

type Metric = "roc_auc" | "recall";
type Metrics = Record<string, { value: number | null; ci: [number, number] | null }>;
interface Slice {
  key: Record<string, string>;
  n: number | string;
  suppressed: boolean;
  metrics: Metrics;
  delta?: Metrics;
}

/** An `evaluation.json` as evaluate-slices writes it (the parts the gate reads, plus `status`). */
export interface EvaluationJson {
  schema: string;
  model: { name: string; version: string; sha256: string };
  rows: number;
  confidence: number;
  overall: { n: number; metrics: Metrics };
  slices: Slice[];
  baseline: { overall: { n: number; metrics: Metrics; delta: Metrics }; slices: Slice[] } | null;
  [extra: string]: unknown;
}

/** The artefact's bytes and their sha256, as the manifest and every result file pin them. */
export const ARTEFACT = Buffer.from("not really onnx, but the gate only hashes it\n");
export const ARTEFACT_SHA = createHash("sha256").update(ARTEFACT).digest("hex");

/** The default gate: every rule kind, one approval from octocat, validate-data required. */
export const GATE = `gate:
  rules:
    - { metric: roc_auc, min: 0.80 }
    - { metric: roc_auc, slices: [region], min: 0.75 }
    - { metric: roc_auc, max-drop: 0.01, vs: baseline }
    - { metric: recall, slices: [region], max-drop: 0.03, vs: baseline, confidence: 0.95 }
    - { fairness: recall, across: region, max-gap: 0.05 }
  approvals: { min: 1, from: [octocat] }`;

/** The churn manifest with `gate` (YAML, starting at `gate:`) as its gate section. */
export function gateManifest(gate: string = GATE): string {
  return `name: churn
version: 1.3.0
task: binary
owner: "@acme/risk-ml"
artefact:
  path: models/churn/model.onnx
  sha256: "${ARTEFACT_SHA}"
  inputs: auto
  outputs: { probabilities: probabilities }
  classes: [0, 1]
  positive: 1
evaluation:
  data: data/eval.csv
  label: churned
  metrics: [roc_auc, recall]
  slices: [region, plan]
  baseline: production
${gate}
`;
}

const metrics = (values: Record<Metric, number>): Metrics =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, ci: null }]));

/**
 * The candidate's evaluation, every rule of {@link GATE} comfortably met: roc_auc 0.85 overall
 * and 0.84 / 0.83 / 0.82 in AE / SA / EG; recall 0.72 overall, 0.73 / 0.71 / 0.70 by region (gap
 * 0.03). `regions` overrides a region's values; no baseline yet (see {@link withBaseline}).
 */
export function evaluationJson(
  overrides: {
    overall?: Partial<Record<Metric, number>>;
    regions?: Record<string, Partial<Record<Metric, number>>>;
  } = {},
): EvaluationJson {
  const regions: Record<string, Record<Metric, number>> = {
    AE: { roc_auc: 0.84, recall: 0.73 },
    SA: { roc_auc: 0.83, recall: 0.71 },
    EG: { roc_auc: 0.82, recall: 0.7 },
  };
  for (const [region, values] of Object.entries(overrides.regions ?? {})) {
    regions[region] = { ...(regions[region] ?? { roc_auc: 0.8, recall: 0.7 }), ...values };
  }
  return {
    schema: "gauntlet/evaluation@1",
    model: { name: "churn", version: "1.3.0", sha256: ARTEFACT_SHA },
    rows: 6000,
    confidence: 0.95,
    overall: { n: 6000, metrics: metrics({ roc_auc: 0.85, recall: 0.72, ...overrides.overall }) },
    slices: Object.entries(regions).map(([region, values]) => ({
      key: { region },
      n: 2000,
      suppressed: false,
      metrics: metrics(values),
    })),
    baseline: null,
  };
}

/**
 * Adds the baseline: in every group each metric is the candidate's minus `delta[metric]`, so
 * the recorded delta (candidate − baseline) is exactly `delta[metric]`, with `ci[metric]` as
 * its paired-bootstrap interval. `extraRegions` are slices only the baseline has.
 */
export function withBaseline(
  file: EvaluationJson,
  delta: Partial<Record<Metric, number>>,
  ci: Partial<Record<Metric, [number, number]>> = {},
  extraRegions: Record<string, Record<Metric, number>> = {},
): EvaluationJson {
  const shift = (m: Metrics) => {
    const base: Metrics = {};
    const d: Metrics = {};
    for (const [name, r] of Object.entries(m)) {
      const change = delta[name as Metric] ?? 0;
      base[name] = { value: r.value === null ? null : r.value - change, ci: null };
      d[name] = { value: change, ci: ci[name as Metric] ?? null };
    }
    return { metrics: base, delta: d };
  };
  const extra = Object.entries(extraRegions).map(([region, values]) => ({
    key: { region },
    n: 900,
    suppressed: false,
    metrics: metrics(values),
    delta: {},
  }));
  return {
    ...file,
    baseline: {
      overall: { n: file.overall.n, ...shift(file.overall.metrics) },
      slices: [...file.slices.map((s) => ({ ...s, ...shift(s.metrics) })), ...extra],
    },
  };
}

/** A `validation.json` whose checks all pass (the gate requires none unless `require:` says so). */
export function validationJson(rowsChecked = 6000): Record<string, unknown> {
  return {
    schema: "gauntlet/validation@1",
    model: { name: "churn", version: "1.3.0", sha256: ARTEFACT_SHA },
    status: "pass",
    checks: [
      {
        id: "rows-min",
        status: "pass",
        value: rowsChecked,
        limit: 1000,
        reason: `${rowsChecked} rows ≥ 1000`,
      },
    ],
  };
}
