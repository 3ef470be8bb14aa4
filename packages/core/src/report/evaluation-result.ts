import type { MetricName, Task } from "../manifest/metric-names.js";
import type { FairnessGap } from "../metrics/fairness-gaps.js";
import { isVersion } from "../registry/compare-versions.js";
import type { BaselineResult, GroupResult, SliceResult } from "../results/evaluation.js";
import type { EvaluationProvenance } from "./evaluation-provenance.js";

/**
 * The `schema` tag of `evaluation.json`.
 *
 * @example
 * result.schema === EVALUATION_SCHEMA; // "gauntlet/evaluation@1"
 */
export const EVALUATION_SCHEMA = "gauntlet/evaluation@1";

/**
 * Where the baseline model came from: a file, a released version, or an alias resolved to the
 * version whose release it points at.
 */
export type BaselineSource =
  | { kind: "path"; reference: string; path: string }
  | { kind: "version" | "alias"; reference: string; version: string; release: string; asset: string }
  /** Scores supplied in `evaluation.predictions.baseline`: `reference` names the column(s), `path` the file. */
  | { kind: "supplied"; reference: string; path: string };

/**
 * Scores computed elsewhere (`evaluation.predictions`) that an evaluation used instead of running
 * a model: where they were read, each file's SHA-256, and which columns held whose scores.
 */
export interface SuppliedPredictions {
  /** The predictions file (or glob) as given, or the evaluation data when the columns are there. */
  source: string;
  /** Every file read, with its SHA-256. */
  files: { path: string; sha256: string }[];
  /** The key column(s) a predictions file was joined by; `null` when the columns are in the data. */
  key: string[] | null;
  candidate: string[];
  baseline: string[] | null;
}

/** The baseline model's identity, as recorded beside its metrics. */
export interface EvaluatedModel {
  name: string;
  /** `null` for a baseline given as a path: nothing says which version it is. */
  version: string | null;
  sha256: string;
}

/** Milliseconds spent per phase; reading and scoring interleave, so each counts only its own calls. */
export interface EvaluationTimings {
  readMs: number;
  scoreMs: number;
  /** Point metrics and the bootstrap, candidate and baseline together. */
  metricsMs: number;
  /** Of `metricsMs`, the bootstrap: drawing the replicates and turning them into intervals. */
  bootstrapMs: number;
  renderMs: number;
}

/** `evaluation.json` (DESIGN.md, Result files). */
export interface EvaluationResult {
  schema: typeof EVALUATION_SCHEMA;
  model: EvaluatedModel & { version: string };
  task: Task;
  /** As `evaluation.metrics`; the first is the main metric of the report and of the outputs. */
  metrics: MetricName[];
  /** Evaluation data as given (file or glob), and the files read. */
  data: { source: string; files: string[] };
  rows: number;
  confidence: number;
  bootstrap: { replicates: number; seed: number };
  /** Binary models only; `null` otherwise. */
  threshold: number | null;
  minSliceSize: number;
  /**
   * The weight column (`evaluation.weight`) every metric and interval was weighted by; then
   * `overall.weight` and each reported slice's `weight` hold its total weight beside its rows `n`.
   * Absent: every row weighed 1.
   */
  weightColumn?: string;
  /** `warn` when a delta interval excludes 0 in the bad direction; evaluation never fails a model, the gate does. */
  status: "pass" | "warn";
  /** Significant regressions counted over every metric and group (overall and slices). */
  regressions: number;
  overall: GroupResult;
  slices: SliceResult[];
  baseline: (BaselineResult & { source: BaselineSource; model: EvaluatedModel }) | null;
  /** Why there is no baseline, when there is none. */
  baselineNote?: string;
  /** The candidate's gaps and ratios between groups, for the gate's `fairness:` rules. */
  fairness?: FairnessGap[];
  /** The custom metrics' definitions (`evaluation.custom-metrics`); their values are in `metrics` under their names. */
  custom?: Record<string, { from: "counts" | "rows"; expression: string; direction: "higher" | "lower" }>;
  /** Present when the scores were supplied (`evaluation.predictions`), not computed by gauntlet. */
  predictions?: SuppliedPredictions;
  /** What produced the model and these numbers: data digests, ONNX metadata, runtimes, training data. */
  provenance?: EvaluationProvenance;
  timings: EvaluationTimings;
}

/** What a baseline reference resolved to: a local model file, or a reason there is none. */
export type BaselineResolution =
  | { found: true; path: string; source: BaselineSource }
  | { found: false; note: string };

/**
 * Resolves a version or alias reference (paths are resolved by the step itself). The action passes
 * one that reads the repository's releases; the CLI one that explains how to compare offline.
 */
export type BaselineResolver = (
  reference: { kind: "version" | "alias"; reference: string; value: string },
  model: { name: string; manifestFile: string },
) => Promise<BaselineResolution>;

/**
 * What kind of reference `evaluation.baseline` is: a path to an `.onnx` file (it has a `/` or ends
 * in `.onnx`), a version (semver, with or without a leading `v`), or else an alias such as
 * `production`.
 *
 * @example
 * classifyBaselineReference("models/churn/v1.onnx"); // { kind: "path", reference: "models/churn/v1.onnx", value: "models/churn/v1.onnx" }
 * classifyBaselineReference("v1.2.0"); // { kind: "version", reference: "v1.2.0", value: "1.2.0" }
 * classifyBaselineReference("production"); // { kind: "alias", reference: "production", value: "production" }
 */
export function classifyBaselineReference(reference: string): {
  kind: "path" | "version" | "alias";
  reference: string;
  value: string;
} {
  if (reference.includes("/") || reference.includes("\\") || reference.toLowerCase().endsWith(".onnx")) {
    return { kind: "path", reference, value: reference };
  }
  const version = reference.replace(/^v/, "");
  if (isVersion(version)) return { kind: "version", reference, value: version };
  return { kind: "alias", reference, value: reference };
}
