import {
  type BaselineResolution,
  type Evaluation,
  type EvaluationProvenance,
  type EvaluationResult,
  findRegressions,
  type Manifest,
  type Regression,
  renderEvaluationSection,
  type SuppliedPredictions,
} from "@gauntlet/core";
import { buildEvaluationResult } from "./build-result.js";

/** One model's evaluation: the result file's content, its report section and its regressions. */
export interface EvaluateOutcome {
  manifest: Manifest;
  result: EvaluationResult;
  markdown: string;
  regressions: Regression[];
}

/** What {@link finishOutcome} records besides the metrics. */
export interface OutcomeParts {
  data: { source: string; files: string[] };
  candidateSha256: string;
  baseline: BaselineResolution;
  baselineSha256: string | undefined;
  /** Supplied scores (`evaluation.predictions`) and their digests; absent when a model was run. */
  predictions?: SuppliedPredictions | undefined;
  /** What produced the model and the numbers (`collectProvenance`); absent on a merge of shards. */
  provenance?: EvaluationProvenance | undefined;
  timings: EvaluationResult["timings"];
  now: () => number;
}

/**
 * Turns metrics into the outcome a single run and a merge run both publish: regressions,
 * `evaluation.json` and its rendered section, with timings rounded to 0.1 ms.
 *
 * @example
 * finishOutcome(manifest, evaluated, { data, candidateSha256, baseline, baselineSha256, timings, now });
 * // { manifest, result: { schema: "gauntlet/evaluation@1", … }, markdown: "### Evaluation …", regressions: [] }
 */
export function finishOutcome(
  manifest: Manifest,
  evaluated: Evaluation,
  parts: OutcomeParts,
): EvaluateOutcome {
  const metrics = manifest.evaluation!.metrics as EvaluationResult["metrics"];
  const regressions = findRegressions(evaluated.baseline, metrics);
  const result = buildEvaluationResult({
    manifest,
    evaluated,
    regressions,
    data: parts.data,
    candidateSha256: parts.candidateSha256,
    baseline: parts.baseline,
    baselineSha256: parts.baselineSha256,
    predictions: parts.predictions,
    provenance: parts.provenance,
    timings: parts.timings,
  });
  const renderStarted = parts.now();
  const markdown = renderEvaluationSection(result);
  result.timings.renderMs = parts.now() - renderStarted;
  for (const key of Object.keys(result.timings) as (keyof EvaluationResult["timings"])[]) {
    result.timings[key] = Math.round(result.timings[key] * 10) / 10;
  }
  return { manifest, result, markdown, regressions };
}
