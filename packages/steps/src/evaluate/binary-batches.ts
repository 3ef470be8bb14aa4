import {
  type BatchEvaluation,
  type BatchEvaluationSpec,
  type CellLane,
  type Column,
  type ColumnKind,
  createBatchEvaluation,
  type Evaluation,
  type EvaluationResult,
  type Manifest,
  type PhaseClock,
  specColumns,
} from "@gauntlet/core";
import { blockBuffer } from "./block-buffer.js";
import { labelEncoder } from "./label-encoder.js";
import type { BatchSink, ScoredRows } from "./score-rows.js";

/** What {@link binaryBatches} evaluates with. */
export interface BinaryBatchesContext {
  evaluation: NonNullable<Manifest["evaluation"]>;
  manifestFile: string;
  /** The data's column kinds: a slice column a batch lacks (one file of a glob) is all nulls of its kind. */
  kinds: ReadonlyMap<string, ColumnKind>;
  /** `artefact.classes`. */
  classes?: readonly (string | number)[] | undefined;
  /** Index of `artefact.positive` in `classes`. */
  positiveIndex?: number | undefined;
  /** Whether a baseline is scored (then every batch has its scores). */
  baseline: boolean;
  /** Milliseconds clock. */
  now: () => number;
  /** Takes the time the bootstrap (replicates and intervals) takes. */
  clock?: PhaseClock | undefined;
  /** Opens the lane that shares the work (see `workerLane`); none: all of it in this thread. */
  openLane?: ((spec: BatchEvaluationSpec) => CellLane | undefined) | undefined;
}

/**
 * Rows the first batch needs for a lane to be opened: below, the whole evaluation takes less
 * time than a worker thread takes to load.
 */
export const LANE_MIN_ROWS = 32_768;

/** A binary evaluation that takes its rows batch by batch during the read. */
export interface BinaryBatches extends BatchSink {
  /** Milliseconds spent adding batches: metric work done during the read. */
  readonly ms: number;
  /** Threads the evaluation runs on: 2 with a lane (until `finish`), else 1. */
  readonly threads: number;
  /** Checks the labels (one error for every bad one) and evaluates every row added. */
  finish(rows: Pick<ScoredRows, "scores" | "baselineScores" | "rowIds">): Promise<Evaluation>;
  /** Stops the lane, if any, when the evaluation will not be finished (a failed read). */
  close(): void;
}

/**
 * The {@link BatchSink} of a binary evaluation in one run: each batch's labels are encoded (one
 * byte a row kept) and its rows go into a `createBatchEvaluation` at once, so the slice columns
 * (about 90 bytes a row for 10 of them) are dropped with the batch instead of held to the end.
 * The result is `evaluate`'s on the same rows, bit for bit. With `openLane` (a worker thread) and
 * a first batch of at least {@link LANE_MIN_ROWS} rows, the rows go into the cell tables there
 * while this thread reads and scores the next batch.
 *
 * @example
 * const evaluation = binaryBatches({ evaluation, manifestFile, kinds, classes: [0, 1], positiveIndex: 1, baseline: true, now });
 * const rows = await scoreRows({ ...options, sink: evaluation });
 * (await evaluation.finish(rows)).overall.metrics.roc_auc; // { value: 0.81, ci: [0.79, 0.83] }
 */
export function binaryBatches(context: BinaryBatchesContext): BinaryBatches {
  const { evaluation, manifestFile } = context;
  const encoder = labelEncoder({
    task: "binary",
    ...(context.classes ? { classes: context.classes } : {}),
    ...(context.positiveIndex !== undefined ? { positiveIndex: context.positiveIndex } : {}),
    column: evaluation.label,
    manifestFile,
  });
  const labels = blockBuffer((n): Uint8Array => new Uint8Array(n));
  const names = [...new Set(evaluation.slices.flatMap((spec) => specColumns(spec)))];
  const spec: BatchEvaluationSpec = {
    specs: evaluation.slices,
    threshold: evaluation.threshold,
    baseline: context.baseline,
    file: manifestFile,
  };
  // The lane's worker starts loading now, during the first read, and is kept only when the first
  // batch is a large one: for a small evaluation it would cost more than it saves.
  let lane = context.openLane?.(spec);
  let batches: BatchEvaluation | undefined;
  const batchesFor = (rows: number): BatchEvaluation => {
    if (!batches) {
      if (rows < LANE_MIN_ROWS) {
        lane?.close();
        lane = undefined;
      }
      batches = createBatchEvaluation(spec, lane);
    }
    return batches;
  };
  let ms = 0;
  return {
    get ms() {
      return ms;
    },
    get threads() {
      return batches?.shared ? 2 : 1;
    },
    add(batch) {
      const started = context.now();
      const encoded = new Uint8Array(batch.rows);
      encoder.encode(batch.columns.get(evaluation.label), batch.rows, encoded, batch.labelText);
      labels.push(encoded);
      const sliceColumns = new Map(
        names.map((name) => [
          name,
          batch.columns.get(name) ?? missingColumn(context.kinds.get(name) ?? "category", batch.rows),
        ]),
      );
      batchesFor(batch.rows).add({
        labels: encoded,
        scores: batch.scores[0]!,
        ...(batch.scores[1] ? { baselineScores: batch.scores[1] } : {}),
        sliceColumns,
      });
      ms += context.now() - started;
    },
    async finish(rows) {
      try {
        encoder.check();
      } catch (error) {
        lane?.close();
        throw error;
      }
      return batchesFor(0).finishShared(
        {
          labels: labels.finish(),
          scores: rows.scores,
          ...(rows.baselineScores ? { baselineScores: rows.baselineScores } : {}),
          rowIds: rows.rowIds,
        },
        {
          metrics: evaluation.metrics as EvaluationResult["metrics"],
          minSliceSize: evaluation["min-slice-size"],
          bootstrap: evaluation.bootstrap,
          seed: evaluation.seed,
          clock: context.clock,
        },
      );
    },
    close() {
      lane?.close();
    },
    async ready() {
      if (!batches?.shared) return;
      const started = context.now();
      await batches.idle();
      ms += context.now() - started;
    },
  };
}

/** A column of nulls, as `collectColumn` gives for a batch without it. */
function missingColumn(kind: ColumnKind, rows: number): Column {
  const nulls = new Uint8Array(rows).fill(1);
  if (kind === "category") return { kind, values: new Array<string>(rows).fill(""), nulls };
  if (kind === "boolean") return { kind, values: new Uint8Array(rows), nulls };
  return { kind, values: new Float64Array(rows).fill(Number.NaN), nulls };
}
