import {
  type BaselineResolution,
  EVALUATION_SCHEMA,
  type Evaluation,
  type EvaluationProvenance,
  type EvaluationResult,
  type Manifest,
  type Regression,
  type SuppliedPredictions,
} from "@gauntlet/core";

/** Everything `evaluation.json` records besides the metrics. */
export interface ResultParts {
  manifest: Manifest;
  evaluated: Evaluation;
  regressions: readonly Regression[];
  data: { source: string; files: string[] };
  candidateSha256: string;
  baseline: BaselineResolution;
  baselineSha256: string | undefined;
  /** Supplied scores (`evaluation.predictions`) and their digests; absent when a model was run. */
  predictions?: SuppliedPredictions | undefined;
  /** What produced the model and the numbers (`collectProvenance`); absent on a merge of shards. */
  provenance?: EvaluationProvenance | undefined;
  timings: EvaluationResult["timings"];
}

/**
 * Assembles `evaluation.json` (DESIGN.md, Result files) from an evaluation and its provenance:
 * `baseline` holds the baseline's metrics, deltas, source and identity when one ran, else it is
 * `null` and `baselineNote` says why.
 *
 * @example
 * buildEvaluationResult({ manifest, evaluated, regressions: [], data, candidateSha256, baseline, baselineSha256, timings });
 * // { schema: "gauntlet/evaluation@1", model: { name: "churn", … }, status: "pass", baseline: { source: …, … } }
 */
export function buildEvaluationResult(parts: ResultParts): EvaluationResult {
  const { manifest, evaluated, baseline } = parts;
  const evaluation = manifest.evaluation!;
  const ran = baseline.found && evaluated.baseline && parts.baselineSha256 !== undefined;
  return {
    schema: EVALUATION_SCHEMA,
    model: { name: manifest.name, version: manifest.version, sha256: parts.candidateSha256 },
    task: manifest.task,
    metrics: evaluation.metrics as EvaluationResult["metrics"],
    data: parts.data,
    rows: evaluated.rows,
    confidence: 0.95,
    bootstrap: { replicates: evaluation.bootstrap, seed: evaluation.seed },
    threshold: manifest.task === "binary" ? evaluation.threshold : null,
    minSliceSize: evaluation["min-slice-size"],
    ...(evaluation.weight === undefined ? {} : { weightColumn: evaluation.weight }),
    status: parts.regressions.length > 0 ? "warn" : "pass",
    regressions: parts.regressions.length,
    overall: evaluated.overall,
    slices: evaluated.slices,
    baseline:
      ran && baseline.found
        ? {
            source: baseline.source,
            model: {
              name: manifest.name,
              version: "version" in baseline.source ? baseline.source.version : null,
              sha256: parts.baselineSha256!,
            },
            ...evaluated.baseline!,
          }
        : null,
    ...(baseline.found ? {} : { baselineNote: baseline.note }),
    ...(evaluated.fairness ? { fairness: evaluated.fairness } : {}),
    ...(evaluation["custom-metrics"] ? { custom: evaluation["custom-metrics"] } : {}),
    ...(parts.predictions ? { predictions: parts.predictions } : {}),
    ...(parts.provenance ? { provenance: parts.provenance } : {}),
    timings: parts.timings,
  };
}
