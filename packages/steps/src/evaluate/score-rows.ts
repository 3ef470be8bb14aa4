import {
  type Column,
  type ColumnKind,
  inputRef,
  rowIdentity,
  rowIdHash,
  type Shard,
  shardOfHash,
  type Task,
  takeRows,
  UserError,
} from "@gauntlet/core";
import { estimateRows, type ReadBatch, readTable } from "@gauntlet/data";
import {
  emptyHealth,
  healthError,
  mergeHealth,
  type ScoreHealth,
  type Scores,
  scoreBatch,
} from "@gauntlet/model";
import { noRows } from "../no-rows.js";
import { blockBuffer } from "./block-buffer.js";
import type { PreparedModel } from "./prepare-model.js";
import type { SuppliedScorer } from "./supplied-scorer.js";
import { unparsedInputs } from "./unparsed-inputs.js";
import { checkWeightCells } from "./weight-column.js";

/** One scored batch (after sharding), as {@link scoreRows} hands it to its {@link BatchSink}. */
export interface ScoredBatch {
  rows: number;
  /** The batch's columns read: label, key, slice and model input columns. */
  columns: ReadonlyMap<string, Column>;
  /** Raw text of label cells that did not parse as the column's kind, by row of this batch. */
  labelText: ReadonlyMap<number, string>;
  /** Per model (candidate, then baseline) the batch's scores, laid out as {@link ScoredRows.scores}. */
  scores: Float64Array[];
  /** About how many rows the sink will get in all, a little over (undefined: unknown): to size its buffers. */
  expectedRows?: number | undefined;
}

/** Takes what {@link scoreRows} does not keep of each batch: labels and slice columns. */
export interface BatchSink {
  add(batch: ScoredBatch): void;
}

/** What {@link scoreRows} reads and scores. */
export interface ScoreRowsOptions {
  data: string;
  cwd: string;
  kinds?: Record<string, ColumnKind>;
  task: Task;
  /** An ONNX model, or scores supplied in columns or a predictions file (`evaluation.predictions`). */
  candidate: PreparedModel | SuppliedScorer;
  baseline?: PreparedModel | SuppliedScorer | undefined;
  /** `evaluation.label`. */
  label: string;
  /** `data.key` (one column or several), hashed into row ids so bootstrap weights follow rows. */
  key?: string | readonly string[] | undefined;
  /** Only the columns the slices need. */
  sliceColumns: readonly string[];
  /** `evaluation.weight`: read (as numbers) and checked on every row, also other shards' rows. */
  weight?: string | undefined;
  manifestFile: string;
  /** Milliseconds clock. */
  now: () => number;
  /** Keep only this shard's rows (by the key's hash), before anything is scored. */
  shard?: Shard | undefined;
  /** Given every scored batch, in order: it keeps the labels and slice columns it needs. */
  sink: BatchSink;
}

/** Every row's scores and row id, in memory, plus where the time went. */
export interface ScoredRows {
  /** Rows scored: all rows, or the shard's. */
  rows: number;
  /** Rows read (before any sharding). */
  read: number;
  files: string[];
  scores: Float64Array;
  baselineScores?: Float64Array;
  /** Multiclass: probabilities per row. */
  classes?: number;
  rowIds: Uint32Array;
  /**
   * A shard's rows' 0-based positions in the data read (all shards counted): a merge restores
   * this order. Only with `shard`: an unsharded run's rows are the data's, in order.
   */
  positions?: Float64Array;
  readMs: number;
  scoreMs: number;
}

/**
 * Streams the evaluation data once and scores each batch with the candidate and, on the same rows,
 * the baseline (so the bootstrap can pair them). Only the label, key, slice and model input columns
 * are read; each scored batch goes to `sink`, which keeps what it needs of the labels and slices,
 * while the scores and row ids are kept here. Unusable scores (NaN, probabilities outside [0, 1]) are one {@link UserError} naming
 * the model and how many rows; an empty table is one too, and so are model input cells that do not
 * parse (see {@link unparsedInputs}), which would otherwise be scored as missing values. With `shard`, each batch is cut to the
 * shard's rows (by `shardOfHash` of the row ids) before scoring; row ids are those of a single run.
 *
 * @example
 * const rows = await scoreRows({ data: "data/eval.csv", cwd, task: "binary", candidate, label: "churned",
 *   key: "customer_id", sliceColumns: ["region"], manifestFile, now: () => performance.now(), sink });
 * rows.scores; // Float64Array of positive-class probabilities
 */
export async function scoreRows(options: ScoreRowsOptions): Promise<ScoredRows> {
  const models = [options.candidate, ...(options.baseline ? [options.baseline] : [])];
  const onnx = models.filter((m): m is PreparedModel => !isSupplied(m));
  const feeds = models.flatMap((m) =>
    isSupplied(m) ? m.dataColumns : m.mapping.inputs.flatMap((f) => f.columns),
  );
  const keys =
    options.key === undefined ? [] : typeof options.key === "string" ? [options.key] : [...options.key];
  const weight = options.weight === undefined ? [] : [options.weight];
  // The key is hashed by the reader (`rowKey`); its text is read only when something else uses it.
  const columns = [...new Set([options.label, ...options.sliceColumns, ...weight, ...feeds])];
  // Buffers sized for every row (see `estimateRows`; 10% over, a shard's share) join no blocks.
  const estimate = await estimateRows(options.data, { cwd: options.cwd });
  const expected =
    estimate === undefined ? undefined : Math.ceil((estimate * 1.1) / (options.shard?.count ?? 1)) + 1024;
  const chunks = models.map(() => blockBuffer((n): Float64Array => new Float64Array(n), expected));
  const health = models.map((m) => (isSupplied(m) ? undefined : healthOf(m)));
  const unparsed = unparsedInputs(onnx.flatMap((m) => m.mapping.inputs));
  const ids = blockBuffer((n): Uint32Array => new Uint32Array(n), expected);
  const positions = options.shard
    ? blockBuffer((n): Float64Array => new Float64Array(n), expected)
    : undefined;
  const files = new Set<string>();
  let rows = 0;
  let read = 0;
  let classes: number | undefined;
  let readMs = 0;
  let scoreMs = 0;

  const batches = readTable(options.data, {
    cwd: options.cwd,
    columns,
    rowKey: keys,
    ...(options.kinds ? { kinds: options.kinds } : {}),
  });
  for (;;) {
    const started = options.now();
    const next = await batches.next();
    readMs += options.now() - started;
    if (next.done) break;
    const offset = read;
    read += next.value.length;
    files.add(next.value.source);
    if (options.weight !== undefined) {
      checkWeightCells(next.value, options.weight, {
        file: options.manifestFile,
        field: "evaluation.weight",
      });
    }
    const allIds = rowIds(next.value, keys, offset);
    const kept = options.shard ? shardOfRows(allIds, options.shard) : null;
    const batch = kept ? takeRows(next.value, kept) : next.value;
    if (batch.length === 0) continue;
    const scoring = options.now();
    const batchScores: Float64Array[] = [];
    for (const [m, prepared] of models.entries()) {
      if (isSupplied(prepared)) {
        batchScores.push(await prepared.score(batch));
        classes ??= prepared.classes;
      } else {
        const scores = await scoreBatch(prepared.model, prepared.mapping, batch);
        mergeHealth(health[m]!, scores.health);
        batchScores.push(taskScores(scores, options.task, prepared, options.manifestFile));
        classes ??= scores.classCount;
      }
      chunks[m]!.push(batchScores[m]!);
    }
    scoreMs += options.now() - scoring;
    const labelText = new Map<number, string>();
    for (const cell of next.value.invalid.get(options.label) ?? []) {
      const at = positionIn(kept, cell.row - next.value.firstRow);
      if (at >= 0) labelText.set(at, cell.raw);
    }
    unparsed.add(next.value, (row) => positionIn(kept, row) >= 0);
    options.sink.add({
      rows: batch.length,
      columns: batch.columns,
      labelText,
      scores: batchScores,
      expectedRows: expected,
    });
    ids.push(kept ? kept.map((i) => allIds[i]!) : allIds);
    if (kept) positions!.push(Float64Array.from(kept, (k) => offset + k));
    rows += batch.length;
  }
  if (read === 0) {
    throw new UserError(`the evaluation data ${noRows(options.data)}`, {
      file: options.manifestFile,
      field: "evaluation.data",
      fix: `point evaluation.data (or ${inputRef("data")}) at a file with rows; a header alone cannot be evaluated`,
    });
  }
  // Before the scores' health: unparsed inputs are why a model without an imputer gives NaN.
  const unparsedError = unparsed.error(options.manifestFile);
  if (unparsedError) throw unparsedError;
  models.forEach((m, i) => {
    if (isSupplied(m)) {
      const error = m.finish();
      if (error) throw error;
      return;
    }
    const error = healthError(health[i]!, options.manifestFile);
    if (error) {
      throw new UserError(`${m.label}: ${error.problem}`, {
        file: options.manifestFile,
        field: error.field,
        fix: error.fix,
      });
    }
  });
  const [scores, baselineScores] = chunks.map((c) => c.finish());
  return {
    rows,
    read,
    files: [...files],
    scores: scores!,
    ...(baselineScores ? { baselineScores } : {}),
    ...(options.task === "multiclass" && classes !== undefined ? { classes } : {}),
    rowIds: ids.finish(),
    ...(positions ? { positions: positions.finish() } : {}),
    readMs,
    scoreMs,
  };
}

function isSupplied(m: PreparedModel | SuppliedScorer): m is SuppliedScorer {
  return "score" in m;
}

function healthOf(prepared: PreparedModel): ScoreHealth {
  const { probabilities, value } = prepared.mapping.outputs;
  if (probabilities) return emptyHealth(probabilities.output, "probabilities");
  return value ? emptyHealth(value.output, "value") : emptyHealth("", "label");
}

function taskScores(scores: Scores, task: Task, prepared: PreparedModel, file: string): Float64Array {
  const found =
    task === "binary" ? scores.score : task === "multiclass" ? scores.probabilities : scores.value;
  if (found) return found;
  const output = task === "regression" ? "value" : "probabilities";
  throw new UserError(`${prepared.label} gives no ${output} output, which a ${task} evaluation needs`, {
    file,
    field: `artefact.outputs.${output}`,
    fix:
      task === "regression"
        ? "name the model's prediction output under artefact.outputs.value"
        : "name the model's class-probability output under artefact.outputs.probabilities (labels alone have no ranking to evaluate)",
  });
}

/**
 * Each row's id, `rowIdHash(rowIdentity(...))`: from the reader's hashes of the key when it gave
 * them, else from the key columns. Rows without a key (or with a null key) are identified by
 * their position in the data.
 */
function rowIds(batch: ReadBatch, keys: readonly string[], offset: number): Uint32Array {
  const length = batch.length;
  const ids = new Uint32Array(length);
  const hashed = batch.rowKeys;
  if (hashed) {
    for (let i = 0; i < length; i++) {
      ids[i] = hashed.missing[i] ? rowIdHash(rowIdentity([], i, offset + i)) : hashed.hashes[i]!;
    }
    return ids;
  }
  const columns = keys.map((k) => batch.columns.get(k));
  for (let i = 0; i < length; i++) ids[i] = rowIdHash(rowIdentity(columns, i, offset + i));
  return ids;
}

/** The rows (ascending) whose ids put them in `shard`, as `shardRows` would. */
function shardOfRows(ids: Uint32Array, shard: Shard): Uint32Array {
  const kept: number[] = [];
  for (let i = 0; i < ids.length; i++) if (shardOfHash(ids[i]!, shard.count) === shard.index) kept.push(i);
  return Uint32Array.from(kept);
}

/** Where batch row `row` went after sharding (`-1`: another shard's); `kept` is ascending. */
function positionIn(kept: Uint32Array | null, row: number): number {
  if (!kept) return row;
  let low = 0;
  let high = kept.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (kept[mid] === row) return mid;
    if (kept[mid]! < row) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
