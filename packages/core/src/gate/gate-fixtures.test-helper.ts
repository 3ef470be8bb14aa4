// Manifests and result files for the gate's tests: a churn model whose evaluation has region
// slices (one suppressed) and one region × plan cross, and a baseline shifted by chosen deltas.
import { EXAMPLE_MANIFEST_YAML } from "../manifest/example.js";
import { parseManifest } from "../manifest/parse-manifest.js";
import type { Manifest } from "../manifest/schema.js";
import { gateSchema } from "../manifest/schema-gate.js";
import { evaluateGate } from "./evaluate-gate.js";
import type { GateResult } from "./gate-result.js";

/** The example manifest's artefact digest. */
export const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/** The DESIGN.md example manifest with its `gate:` replaced (defaults filled as parsing does). */
export function manifestWithGate(gate: unknown): Manifest {
  const manifest = parseManifest(EXAMPLE_MANIFEST_YAML, "models/churn/model.yml");
  return { ...manifest, gate: gateSchema.parse(gate) };
}

type Metrics = Record<string, { value: number | null; ci: [number, number] | null; reason?: string }>;
interface Slice {
  key: Record<string, string>;
  n: number | string;
  suppressed: boolean;
  metrics: Metrics;
  delta?: Metrics;
}

/** An `evaluation.json` as evaluate-slices writes it, over plain metric values. */
export interface EvaluationJson {
  schema: string;
  model: { name: string; version: string; sha256: string };
  rows: number;
  confidence?: number;
  overall: { n: number; metrics: Metrics };
  slices: Slice[];
  baseline?: { overall: { n: number; metrics: Metrics; delta: Metrics }; slices: Slice[] };
  [extra: string]: unknown;
}

const metrics = (values: Record<string, number | null>): Metrics =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, ci: null }]));

/** The candidate's evaluation: roc_auc, recall and log_loss overall and for each slice. */
export function evaluationJson(): EvaluationJson {
  return {
    schema: "gauntlet/evaluation@1",
    model: { name: "churn", version: "1.3.0", sha256: SHA },
    rows: 5000,
    overall: { n: 5000, metrics: metrics({ roc_auc: 0.84, recall: 0.7, log_loss: 0.4 }) },
    slices: [
      {
        key: { region: "AE" },
        n: 2000,
        suppressed: false,
        metrics: metrics({ roc_auc: 0.82, recall: 0.72, log_loss: 0.41 }),
      },
      {
        key: { region: "SA" },
        n: 1500,
        suppressed: false,
        metrics: metrics({ roc_auc: 0.75, recall: 0.68, log_loss: 0.45 }),
      },
      { key: { region: "QA" }, n: "< 30", suppressed: true, metrics: {} },
      {
        key: { region: "AE", plan: "gold" },
        n: 400,
        suppressed: false,
        metrics: metrics({ roc_auc: 0.66, recall: 0.6, log_loss: 0.5 }),
      },
    ],
  };
}

/**
 * The evaluation with a baseline whose every value is the candidate's minus `delta[metric]`, so
 * the recorded delta (candidate − baseline) is exactly `delta[metric]`; `ci` is the delta's interval.
 */
export function withBaseline(
  file: EvaluationJson,
  delta: Record<string, number>,
  ci: Record<string, [number, number]> = {},
): EvaluationJson {
  const shift = (m: Metrics) => {
    const base: Metrics = {};
    const d: Metrics = {};
    for (const [name, r] of Object.entries(m)) {
      const change = delta[name] ?? 0;
      base[name] = { value: r.value === null ? null : r.value - change, ci: null };
      d[name] = { value: r.value === null ? null : change, ci: ci[name] ?? null };
    }
    return { metrics: base, delta: d };
  };
  return {
    ...file,
    baseline: {
      overall: { n: file.overall.n, ...shift(file.overall.metrics) },
      slices: file.slices.map((s) => ({
        ...s,
        ...(s.suppressed ? { metrics: {}, delta: {} } : shift(s.metrics)),
      })),
    },
  };
}

/** Approvals already given: octocat approved the head commit `head`. */
export const APPROVED = {
  reviews: [
    { user: "octocat", state: "APPROVED" as const, commitId: "head", submittedAt: "2024-05-01T10:00:00Z" },
  ],
  headSha: "head",
  author: "dev",
};

/** The gate over `rules` and `evaluation` alone (no approvals, no requirements). */
export function gateOn(
  rules: unknown[],
  evaluation: unknown,
  gate: Record<string, unknown> = {},
): GateResult {
  return evaluateGate({
    manifest: manifestWithGate({ ...gate, rules }),
    results: { evaluation },
    artefactSha256: SHA,
  });
}
