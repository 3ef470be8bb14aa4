import {
  type Evaluation,
  type EvaluationResult,
  findRegressions,
  type Manifest,
  type Regression,
  renderEvaluationSection,
} from "@gauntlet/core";
import { buildEvaluationResult, type ResultParts } from "./build-result.js";

/** One model's evaluation: the result file's content, its report section and its regressions. */
export interface EvaluateOutcome {
  manifest: Manifest;
  result: EvaluationResult;
  markdown: string;
  regressions: Regression[];
}

/** What {@link finishOutcome} records besides the metrics: `evaluation.json`'s parts, and the clock. */
export interface OutcomeParts extends Omit<ResultParts, "manifest" | "evaluated" | "regressions"> {
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
