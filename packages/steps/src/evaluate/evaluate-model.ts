import { createHash } from "node:crypto";
import {
  type BaselineResolution,
  type BaselineResolver,
  type BaselineSource,
  type Column,
  type ColumnKind,
  customMetricsOf,
  declaredValues,
  type EvaluationProvenance,
  type EvaluationResult,
  evaluate,
  fairnessRequests,
  inputRef,
  kindsFromContract,
  type Manifest,
  operatingSpecOf,
  type PhaseClock,
  type PredictionsSpec,
  type Shard,
  type SuppliedPredictions,
  specColumns,
  UserError,
} from "@gauntlet/core";
import { readTableSchema, resolveInside } from "@gauntlet/data";
import { type ScoringModel, verifyArtefact } from "@gauntlet/model";
import type { LoadedManifest } from "../load-manifest.js";
import { collectProvenance } from "../provenance/collect-provenance.js";
import { checkEvaluationData } from "./check-data.js";
import { chooseBaseline } from "./choose-baseline.js";
import { collectBatches } from "./collect-batches.js";
import { type EvaluateOutcome, finishOutcome, type OutcomeParts } from "./finish-outcome.js";
import { encodeLabels } from "./label-encoder.js";
import { type PreparedModel, prepareModel } from "./prepare-model.js";
import { replicateThreads } from "./replicate-threads.js";
import { type BatchSink, type ScoredRows, scoreRows } from "./score-rows.js";
import { openSuppliedScores, type SuppliedScorer } from "./supplied-scores.js";
import { requireSomeWeight } from "./weight-column.js";

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
  /**
   * Threads that compute the bootstrap replicates, this one included (see `replicateThreads`).
   * Default: `availableParallelism()`; 1 = this thread only. The numbers are the same either way.
   */
  threads?: number;
}

/**
 * Evaluates a model on its evaluation data, overall and per slice, against its baseline when one
 * resolves: verifies the artefact's SHA-256, checks both models against the manifest's mapping
 * before any row is scored, streams and scores the data once for both, and bootstraps paired
 * intervals with `evaluate` — the one route of every task, and of a merge of shards. This is
 * `gauntlet evaluate` and the `evaluate-slices` action, minus publishing.
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
  const clock: PhaseClock = { now, bootstrapMs: 0 };
  const scored = await scoreEvaluationData(loaded, options);
  const evaluation = scored.evaluation;
  if (scored.weights) requireSomeWeight(scored.weights, evaluation.weight!, scored.data, file);
  const metricsStarted = now();
  const evaluated = evaluate({
    task: manifest.task,
    labels: scored.labels,
    scores: scored.rows.scores,
    ...(scored.rows.baselineScores ? { baselineScores: scored.rows.baselineScores } : {}),
    ...(manifest.task === "multiclass"
      ? { classes: scored.rows.classes ?? manifest.artefact.classes?.length ?? 2 }
      : {}),
    rowIds: scored.rows.rowIds,
    ...(scored.weights ? { weights: scored.weights } : {}),
    sliceColumns: scored.rows.sliceColumns,
    // Read only to put rows in slices: dropped then, not held through the bootstrap (~90 B a row).
    onSlicesAssigned: () => scored.rows.sliceColumns.clear(),
    specs: evaluation.slices,
    ...(manifest.data ? { declaredValues: declaredValues(manifest.data) } : {}),
    metrics: evaluation.metrics as EvaluationResult["metrics"],
    threshold: evaluation.threshold,
    operating: operatingSpecOf(evaluation),
    fairness: fairnessRequests(manifest),
    custom: customMetricsOf(evaluation),
    minSliceSize: evaluation["min-slice-size"],
    bootstrap: evaluation.bootstrap,
    seed: evaluation.seed,
    file,
    clock,
    runReplicates: replicateThreads(options.threads !== undefined ? { threads: options.threads } : {}),
  });
  const metricsMs = now() - metricsStarted;
  return finishOutcome(manifest, evaluated, {
    ...outcomeParts(scored, scored.rows),
    provenance: await scoredProvenance(loaded, options.cwd, scored),
    timings: {
      readMs: scored.schemaMs + scored.rows.readMs,
      scoreMs: scored.rows.scoreMs,
      metricsMs,
      bootstrapMs: clock.bootstrapMs,
      renderMs: 0,
    },
    now,
  });
}

/** An evaluation's data scored by the candidate (and baseline), with everything the result records. */
export interface ScoredEvaluation {
  evaluation: NonNullable<Manifest["evaluation"]>;
  /** The data file or glob read. */
  data: string;
  /** The scored rows and every row's slice values. */
  rows: ScoredRows & { sliceColumns: Map<string, Column> };
  /** Encoded labels (see `encodeLabels`). */
  labels: Float64Array;
  /** Every row's weight (`evaluation.weight`), checked finite and ≥ 0; absent without one. */
  weights: Float64Array | undefined;
  candidateSha256: string;
  choice: BaselineResolution;
  /** Set when a baseline was scored. */
  baselineSha256: string | undefined;
  /** Set when the scores were supplied (`evaluation.predictions`): what was read, with digests. */
  predictions: SuppliedPredictions | undefined;
  /** Reading the data's schema before scoring. */
  schemaMs: number;
}

/**
 * Checks the manifest and data, verifies and loads the candidate, resolves and loads the baseline,
 * streams the data (only `shard`'s rows when given) through both and encodes the labels; the
 * models are released before it returns. Shared by {@link evaluateModel} and `evaluateShard`.
 *
 * @example
 * const scored = await scoreEvaluationData(loaded, { cwd, resolveBaseline: offlineBaselineResolver });
 * scored.rows.scores.length; // the data's rows
 */
export async function scoreEvaluationData(
  loaded: LoadedManifest,
  options: EvaluateOptions,
  shard?: Shard,
): Promise<ScoredEvaluation> {
  const { manifest, file } = loaded;
  const scored = await scoreWith(loaded, options, shard, (context) =>
    collectBatches(context.evaluation.label, context.sliceColumns, context.evaluation.weight),
  );
  const { label, labelText, sliceColumns, weights } = scored.sink.finish();
  const labels = encodeLabels(label, {
    task: manifest.task,
    ...(manifest.artefact.classes ? { classes: manifest.artefact.classes } : {}),
    ...(scored.positiveIndex !== undefined ? { positiveIndex: scored.positiveIndex } : {}),
    column: scored.evaluation.label,
    manifestFile: file,
    rawText: labelText,
  });
  const { sink: _, positiveIndex: __, ...rest } = scored;
  return { ...rest, rows: { ...scored.rows, sliceColumns }, labels, weights };
}

/** What a {@link scoreWith} sink is made from. */
interface SinkContext {
  evaluation: NonNullable<Manifest["evaluation"]>;
  /** The data's columns and kinds. */
  columns: Map<string, ColumnKind>;
  /** The columns the slices read. */
  sliceColumns: string[];
  /** Index of `artefact.positive` among the candidate's classes. */
  positiveIndex: number | undefined;
  baseline: boolean;
}

/** {@link scoreEvaluationData} up to the scored rows, each batch handed to `makeSink`'s sink. */
async function scoreWith<S extends BatchSink>(
  loaded: LoadedManifest,
  options: EvaluateOptions,
  shard: Shard | undefined,
  makeSink: (context: SinkContext) => S,
): Promise<
  Omit<ScoredEvaluation, "rows" | "labels" | "weights"> & {
    rows: ScoredRows;
    sink: S;
    positiveIndex: number | undefined;
  }
> {
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
  const supplied = evaluation.predictions;
  if (supplied && options.baseline !== undefined) {
    throw new UserError(
      `a baseline model (${options.baseline}) cannot be run for a model whose scores are supplied`,
      {
        file,
        field: inputRef("baseline"),
        fix: "drop the baseline input, and supply the baseline's scores in evaluation.predictions.baseline",
      },
    );
  }
  if (!manifest.artefact.path) {
    throw new UserError("the artefact has no path to evaluate", {
      file,
      field: "artefact.path",
      fix: "set artefact.path, or download the artefact named by artefact.uri to that path in an earlier step",
    });
  }
  const data = options.data ?? evaluation.data;
  const contractKinds = manifest.data ? kindsFromContract(manifest.data) : undefined;
  // Weights are read as numbers whatever the data declares: a cell that is not one is then an
  // invalid cell with its row, for `checkWeightCells` to name.
  const kinds =
    evaluation.weight === undefined
      ? contractKinds
      : { ...contractKinds, [evaluation.weight]: "number" as const };
  const started = now();
  // Only the columns the evaluation reads are typed: a table of 10,000 columns is never held whole.
  const inputs = manifest.artefact.inputs;
  const key = manifest.data?.key;
  const columns = await checkEvaluationData({
    data,
    cwd: options.cwd,
    kinds,
    evaluation,
    manifestFile: file,
    fromInput: options.data !== undefined,
    columns: [
      ...(key === undefined ? [] : typeof key === "string" ? [key] : key),
      ...(supplied ? suppliedColumns(supplied) : inputs === "auto" ? [] : Object.values(inputs).flat()),
    ],
  });
  const schemaMs = now() - started;
  const scorers = supplied
    ? await suppliedScorers(loaded, { cwd: options.cwd, data, columns })
    : await onnxScorers(loaded, options, { data, columns, kinds });
  try {
    const sliceColumns = [...new Set(evaluation.slices.flatMap((spec) => specColumns(spec)))];
    const { candidate, baseline, positiveIndex } = scorers;
    const sink = makeSink({ evaluation, columns, sliceColumns, positiveIndex, baseline: !!baseline });
    const rows = await scoreRows({
      data,
      cwd: options.cwd,
      ...(kinds ? { kinds } : {}),
      task: manifest.task,
      candidate,
      baseline,
      label: evaluation.label,
      key: manifest.data?.key,
      sliceColumns,
      weight: evaluation.weight,
      manifestFile: file,
      now,
      shard,
      sink,
    });
    return {
      evaluation,
      data,
      rows,
      sink,
      positiveIndex,
      candidateSha256: scorers.candidateSha256,
      choice: scorers.choice,
      baselineSha256: scorers.baselineSha256,
      predictions: scorers.predictions,
      schemaMs,
    };
  } finally {
    await scorers.release();
  }
}

/** What scores the evaluation data: the candidate and baseline, their identities, and how to release them. */
interface Scorers {
  candidate: PreparedModel | SuppliedScorer;
  baseline: PreparedModel | SuppliedScorer | undefined;
  /** Index of `artefact.positive` among the candidate's classes. */
  positiveIndex: number | undefined;
  candidateSha256: string;
  choice: BaselineResolution;
  baselineSha256: string | undefined;
  predictions: SuppliedPredictions | undefined;
  release(): Promise<void>;
}

/** The candidate's ONNX model (SHA-256 verified) and the baseline's, when one resolves. */
async function onnxScorers(
  loaded: LoadedManifest,
  options: EvaluateOptions,
  read: { data: string; columns: Map<string, ColumnKind>; kinds: Record<string, ColumnKind> | undefined },
): Promise<Scorers> {
  const { manifest, file } = loaded;
  const { data, columns, kinds } = read;
  const evaluation = manifest.evaluation!;
  const inputs = manifest.artefact.inputs;
  // With `inputs: auto` the model's input names are its columns: learn their kinds once it is loaded.
  const columnsFor = async (model: ScoringModel): Promise<Map<string, ColumnKind>> => {
    const unknown = inputs === "auto" ? model.inputs.map((v) => v.name).filter((n) => !columns.has(n)) : [];
    if (unknown.length === 0) return columns;
    const schemaRead = { cwd: options.cwd, columns: unknown, ...(kinds ? { kinds } : {}) };
    for (const { name, kind } of await readTableSchema(data, schemaRead)) columns.set(name, kind);
    return columns;
  };
  const artefactPath = await resolveInside(options.cwd, manifest.artefact.path!, {
    file,
    field: "artefact.path",
  });
  const prepare = { manifestFile: file, artefact: manifest.artefact, columns: columnsFor };
  const candidate = await prepareModel(artefactPath, { ...prepare, verify: true });
  const models: PreparedModel[] = [candidate];
  const release = async () => {
    await Promise.all(models.map((m) => m.model.session.release()));
  };
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
    for (const model of models) refuseWeightInput(model, evaluation.weight, file);
    return {
      candidate,
      baseline,
      positiveIndex: candidate.mapping.positiveIndex,
      candidateSha256: candidate.sha256,
      choice,
      baselineSha256: baseline?.sha256,
      predictions: undefined,
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * With `inputs: auto` the model's own input names pick its columns, which the manifest rules cannot
 * see: a model input named like the weight column would be fed the weights as a feature.
 */
function refuseWeightInput(prepared: PreparedModel, weight: string | undefined, file: string): void {
  if (weight === undefined || !prepared.mapping.inputs.some((feed) => feed.columns.includes(weight))) return;
  throw new UserError(`${prepared.label} reads the weight column "${weight}" as a model input`, {
    file,
    field: "evaluation.weight",
    fix: "a weight column only weighs rows: name the weights in a column the model does not read, or map the model's inputs in artefact.inputs",
  });
}

/** Supplied scores (`evaluation.predictions`): the artefact is verified by its digest, and no model is loaded. */
async function suppliedScorers(
  loaded: LoadedManifest,
  read: { cwd: string; data: string; columns: Map<string, ColumnKind> },
): Promise<Scorers> {
  const { manifest, file } = loaded;
  const artefactPath = await resolveInside(read.cwd, manifest.artefact.path!, {
    file,
    field: "artefact.path",
  });
  const candidateSha256 = await verifyArtefact(artefactPath, manifest.artefact.sha256!, {
    file,
    field: "artefact.sha256",
  });
  const supplied = await openSuppliedScores(manifest, { ...read, manifestFile: file });
  const record = supplied.record;
  return {
    candidate: supplied.candidate,
    baseline: supplied.baseline,
    positiveIndex: supplied.positiveIndex,
    candidateSha256,
    choice: supplied.baseline
      ? {
          found: true,
          path: record.source,
          source: { kind: "supplied", reference: record.baseline!.join(", "), path: record.source },
        }
      : {
          found: false,
          note: "the scores were supplied and evaluation.predictions names no baseline scores",
        },
    baselineSha256: supplied.baseline ? suppliedDigest(record) : undefined,
    predictions: record,
    release: () => supplied.close(),
  };
}

/** The evaluation-data columns `evaluation.predictions` reads: its key, or its score columns. */
function suppliedColumns(spec: PredictionsSpec): string[] {
  if (spec.file)
    return spec.key === undefined ? [] : typeof spec.key === "string" ? [spec.key] : [...spec.key];
  return [spec.candidate, spec.baseline ?? []].flat();
}

/** One digest for the files supplied scores were read from: the file's own, or of their list of digests. */
function suppliedDigest(record: SuppliedPredictions): string {
  if (record.files.length === 1) return record.files[0]!.sha256;
  const hash = createHash("sha256");
  for (const f of record.files) hash.update(`${f.sha256}  ${f.path}\n`);
  return hash.digest("hex");
}

/**
 * `evaluation.json`'s `provenance` of a scored evaluation (or shard): the data files it read, and
 * the candidate's ONNX metadata unless the scores were supplied.
 *
 * @example
 * await scoredProvenance(loaded, cwd, scored); // { evaluationData: { files: [...] }, model: { producer: "skl2onnx 1.17.0", ... }, ... }
 */
export async function scoredProvenance(
  loaded: LoadedManifest,
  cwd: string,
  scored: Pick<ScoredEvaluation, "predictions"> & { rows: Pick<ScoredRows, "files"> },
): Promise<EvaluationProvenance> {
  const path = loaded.manifest.artefact.path;
  return collectProvenance(loaded, {
    cwd,
    dataFiles: scored.rows.files,
    // Supplied scores ran no model: there is no ONNX file to describe.
    modelPath:
      scored.predictions || !path
        ? undefined
        : await resolveInside(cwd, path, { file: loaded.file, field: "artefact.path" }),
  });
}

/** The provenance {@link finishOutcome} records of a scored evaluation. */
function outcomeParts(
  scored: Pick<ScoredEvaluation, "data" | "candidateSha256" | "choice" | "baselineSha256" | "predictions">,
  rows: Pick<ScoredRows, "files">,
): Pick<OutcomeParts, "data" | "candidateSha256" | "baseline" | "baselineSha256" | "predictions"> {
  return {
    data: { source: scored.data, files: rows.files },
    candidateSha256: scored.candidateSha256,
    baseline: scored.choice,
    baselineSha256: scored.baselineSha256,
    predictions: scored.predictions,
  };
}

function sourceText(source: BaselineSource, model: string): string {
  if (source.kind === "path") return `(${source.path})`;
  if (source.kind === "supplied") return `(supplied scores ${source.reference})`;
  return `${model} v${source.version}${source.kind === "alias" ? ` (alias ${source.reference})` : ""}`;
}
