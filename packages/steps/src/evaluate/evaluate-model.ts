import {
  type BaselineResolution,
  type BaselineResolver,
  type Column,
  type ColumnKind,
  type EvaluationProvenance,
  evaluate,
  evaluationSlices,
  inputRef,
  kindsFromContract,
  type Manifest,
  type PhaseClock,
  type Shard,
  type SliceAssignment,
  type SuppliedPredictions,
  specColumns,
  UserError,
} from "@gauntlet/core";
import { resolveInside } from "@gauntlet/data";
import type { LoadedManifest } from "../load-manifest.js";
import { collectProvenance } from "../provenance/collect-provenance.js";
import { checkEvaluationData } from "./check-data.js";
import { collectBatches } from "./collect-batches.js";
import { onnxScorers, suppliedColumns, suppliedScorers } from "./evaluation-scorers.js";
import { type EvaluateOutcome, finishOutcome, type OutcomeParts } from "./finish-outcome.js";
import { influenceThreads } from "./influence-threads.js";
import { encodeLabels } from "./label-encoder.js";
import { manifestEvaluateInput } from "./manifest-evaluate-input.js";
import { maximaThreads } from "./maxima-threads.js";
import { replicateThreads } from "./replicate-threads.js";
import { type BatchSink, type ScoredRows, scoreRows } from "./score-rows.js";
import { tallyThreads } from "./tally-threads.js";
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
   * Threads that compute the bootstrap replicates, the influence moments, the sup-t maxima and
   * the candidate's point pass, this one included (see `replicateThreads`, `influenceThreads`,
   * `maximaThreads`, `tallyThreads`).
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
  const threads = options.threads !== undefined ? { threads: options.threads } : {};
  const evaluated = evaluate({
    ...manifestEvaluateInput(manifest),
    labels: scored.labels,
    scores: scored.rows.scores,
    ...(scored.rows.baselineScores ? { baselineScores: scored.rows.baselineScores } : {}),
    ...(manifest.task === "multiclass"
      ? { classes: scored.rows.classes ?? manifest.artefact.classes?.length ?? 2 }
      : {}),
    rowIds: scored.rows.rowIds,
    ...(scored.weights ? { weights: scored.weights } : {}),
    sliceColumns: scored.rows.sliceColumns,
    ...(scored.sliceAssignment ? { sliceAssignment: scored.sliceAssignment } : {}),
    // Read only to put rows in slices: dropped then, not held through the bootstrap (~90 B a row).
    onSlicesAssigned: () => scored.rows.sliceColumns.clear(),
    file,
    clock,
    runReplicates: replicateThreads(threads),
    runInfluence: influenceThreads(threads),
    runMaxima: maximaThreads(threads),
    runTally: tallyThreads(threads),
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
  /** Every row's slices, put in them while reading (a whole evaluation; a shard keeps `sliceColumns`). */
  sliceAssignment?: SliceAssignment | undefined;
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
 * Without `shard` the rows are put in their slices while they stream (`sliceAssignment`, and
 * `rows.sliceColumns` is empty); a shard keeps its slice columns whole for its part file.
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
  // A whole evaluation puts rows in their slices batch by batch, never holding a slice column
  // whole (at 10M rows that was the run's peak); a shard's part file carries the columns.
  const scored = await scoreWith(loaded, options, shard, (context) =>
    collectBatches(
      context.evaluation.label,
      shard
        ? context.sliceColumns
        : {
            assigner: evaluationSlices({ ...manifestEvaluateInput(manifest), file }),
            columns: context.sliceColumns,
            kinds: context.columns,
          },
      context.evaluation.weight,
    ),
  );
  const { label, labelText, sliceColumns, sliceAssignment, weights } = scored.sink.finish();
  const labels = encodeLabels(label, {
    task: manifest.task,
    ...(manifest.artefact.classes ? { classes: manifest.artefact.classes } : {}),
    ...(scored.positiveIndex !== undefined ? { positiveIndex: scored.positiveIndex } : {}),
    column: scored.evaluation.label,
    manifestFile: file,
    rawText: labelText,
  });
  const { sink: _, positiveIndex: __, ...rest } = scored;
  return { ...rest, rows: { ...scored.rows, sliceColumns }, sliceAssignment, labels, weights };
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
