import { isAbsolute, resolve } from "node:path";
import {
  type BaselineResolver,
  type BaselineSource,
  type EvaluationResult,
  evaluate,
  findRegressions,
  kindsFromContract,
  type Manifest,
  type Regression,
  renderEvaluationSection,
  specColumns,
  UserError,
} from "@gauntlet/core";
import type { LoadedManifest } from "../load-manifest.js";
import { buildEvaluationResult } from "./build-result.js";
import { checkEvaluationData } from "./check-data.js";
import { chooseBaseline } from "./choose-baseline.js";
import { encodeLabels } from "./label-encoder.js";
import { type PreparedModel, prepareModel } from "./prepare-model.js";
import { scoreRows } from "./score-rows.js";

/** What {@link evaluateModel} needs besides the manifest. */
export interface EvaluateOptions {
  /** The workspace (repository root): manifest paths are relative to it. */
  cwd: string;
  /** The data file or glob; defaults to the manifest's `evaluation.data`. */
  data?: string | undefined;
  /** Overrides `evaluation.baseline`: a path, a version or an alias. */
  baseline?: string | undefined;
  /** Resolves versions and aliases: the registry in the action, `offlineBaselineResolver` in the CLI. */
  resolveBaseline: BaselineResolver;
  /** Milliseconds clock for the timings. Default `performance.now`. */
  now?: () => number;
}

/** One model's evaluation: the result file's content, its report section and its regressions. */
export interface EvaluateOutcome {
  manifest: Manifest;
  result: EvaluationResult;
  markdown: string;
  regressions: Regression[];
}

/**
 * Evaluates a model on its evaluation data, overall and per slice, against its baseline when one
 * resolves: verifies the artefact's SHA-256, checks both models against the manifest's mapping
 * before any row is scored, streams and scores the data once for both, and bootstraps paired
 * intervals. This is `gauntlet evaluate` and the `evaluate-slices` action, minus publishing.
 *
 * @example
 * const { result, markdown } = await evaluateModel(await loadManifest("models/churn/model.yml", cwd), {
 *   cwd, resolveBaseline: offlineBaselineResolver });
 * result.overall.metrics.roc_auc; // { value: 0.814, ci: [0.79, 0.83] }
 */
export async function evaluateModel(
  loaded: LoadedManifest,
  options: EvaluateOptions,
): Promise<EvaluateOutcome> {
  const { manifest, file } = loaded;
  const now = options.now ?? (() => performance.now());
  const evaluation = manifest.evaluation;
  if (!evaluation) {
    throw new UserError("there is no evaluation: section", {
      file,
      field: "evaluation",
      fix: "add evaluation: with data, label and metrics (and slices, baseline) to the manifest",
    });
  }
  if (!manifest.artefact.path) {
    throw new UserError("the artefact has no path to evaluate", {
      file,
      field: "artefact.path",
      fix: "set artefact.path, or download the artefact named by artefact.uri to that path in an earlier step",
    });
  }
  const data = options.data ?? evaluation.data;
  const kinds = manifest.data ? kindsFromContract(manifest.data) : undefined;
  const started = now();
  const columns = await checkEvaluationData({
    data,
    cwd: options.cwd,
    kinds,
    evaluation,
    manifestFile: file,
  });
  const schemaMs = now() - started;

  const artefactPath = isAbsolute(manifest.artefact.path)
    ? manifest.artefact.path
    : resolve(options.cwd, manifest.artefact.path);
  const prepare = { manifestFile: file, artefact: manifest.artefact, columns };
  const candidate = await prepareModel(artefactPath, { ...prepare, verify: true });
  const models: PreparedModel[] = [candidate];
  try {
    const choice = await chooseBaseline(options.baseline ?? evaluation.baseline, {
      cwd: options.cwd,
      model: manifest.name,
      manifestFile: file,
      resolve: options.resolveBaseline,
    });
    const baseline = choice.found
      ? await prepareModel(choice.path, {
          ...prepare,
          verify: false,
          baseline: sourceText(choice.source, manifest.name),
        })
      : undefined;
    if (baseline) models.push(baseline);
    const sliceColumns = [...new Set(evaluation.slices.flatMap((spec) => specColumns(spec)))];
    const scored = await scoreRows({
      data,
      cwd: options.cwd,
      ...(kinds ? { kinds } : {}),
      task: manifest.task,
      candidate,
      baseline,
      label: evaluation.label,
      key: manifest.data?.key,
      sliceColumns,
      manifestFile: file,
      now,
    });
    const labels = encodeLabels(scored.label, {
      task: manifest.task,
      ...(manifest.artefact.classes ? { classes: manifest.artefact.classes } : {}),
      ...(candidate.mapping.positiveIndex !== undefined
        ? { positiveIndex: candidate.mapping.positiveIndex }
        : {}),
      column: evaluation.label,
      manifestFile: file,
      rawText: scored.labelText,
    });
    const metricsStarted = now();
    const evaluated = evaluate({
      task: manifest.task,
      labels,
      scores: scored.scores,
      ...(scored.baselineScores ? { baselineScores: scored.baselineScores } : {}),
      ...(manifest.task === "multiclass"
        ? { classes: scored.classes ?? manifest.artefact.classes?.length ?? 2 }
        : {}),
      rowIds: scored.rowIds,
      sliceColumns: scored.sliceColumns,
      specs: evaluation.slices,
      metrics: evaluation.metrics as EvaluationResult["metrics"],
      threshold: evaluation.threshold,
      minSliceSize: evaluation["min-slice-size"],
      bootstrap: evaluation.bootstrap,
      seed: evaluation.seed,
      file,
    });
    const metricsMs = now() - metricsStarted;
    const regressions = findRegressions(
      evaluated.baseline,
      evaluation.metrics as EvaluationResult["metrics"],
    );
    const result = buildEvaluationResult({
      manifest,
      evaluated,
      regressions,
      data: { source: data, files: scored.files },
      candidateSha256: candidate.sha256,
      baseline: choice,
      baselineSha256: baseline?.sha256,
      timings: { readMs: schemaMs + scored.readMs, scoreMs: scored.scoreMs, metricsMs, renderMs: 0 },
    });
    const renderStarted = now();
    const markdown = renderEvaluationSection(result);
    result.timings.renderMs = now() - renderStarted;
    for (const key of Object.keys(result.timings) as (keyof EvaluationResult["timings"])[]) {
      result.timings[key] = Math.round(result.timings[key] * 10) / 10;
    }
    return { manifest, result, markdown, regressions };
  } finally {
    await Promise.all(models.map((m) => m.model.session.release()));
  }
}

function sourceText(source: BaselineSource, model: string): string {
  if (source.kind === "path") return `(${source.path})`;
  return `${model} v${source.version}${source.kind === "alias" ? ` (alias ${source.reference})` : ""}`;
}
