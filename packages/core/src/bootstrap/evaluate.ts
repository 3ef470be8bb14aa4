import type { MetricName, Task } from "../manifest/metric-names.js";
import { assignSlices } from "../slicing/assign-slices.js";
import { groupIdArray } from "../slicing/group-ids.js";
import type { SliceSpec } from "../slicing/slice-spec.js";
import type { Column } from "../table/column.js";
import { BatchEvaluationImpl } from "./batch-evaluation.js";
import { checkInput } from "./check-input.js";
import { evaluateRows } from "./evaluate-rows.js";
import type { PhaseClock } from "./phase-clock.js";

/** Inputs of {@link evaluate}; all rows in memory (8 bytes per row per score array). */
export interface EvaluateInput {
  task: Task;
  /** Binary 0/1, multiclass class indices, regression values. */
  labels: Float64Array;
  /** Binary: positive-class probability per row; multiclass: row-major [rows × classes]; regression: predictions. */
  scores: Float64Array;
  baselineScores?: Float64Array;
  /** Multiclass only. */
  classes?: number;
  /** `rowIdHash` of each row's key: bootstrap weights follow the row, not its position. */
  rowIds: Uint32Array;
  sliceColumns: ReadonlyMap<string, Column>;
  /**
   * Called once every row is assigned to its slices, after which `evaluate` no longer reads
   * `sliceColumns`: a caller that owns them can drop them there (10 slice columns of 10M rows are
   * about 900 MB), while the intervals are computed.
   */
  onSlicesAssigned?: () => void;
  specs: readonly SliceSpec[];
  metrics: readonly MetricName[];
  threshold?: number;
  minSliceSize?: number;
  /** Replicates; 0 = no intervals. */
  bootstrap?: number;
  seed?: number;
  confidence?: number;
  maxSlicesPerSpec?: number;
  /** The manifest path, for error messages. */
  file?: string;
  /** Takes the time spent on the bootstrap (replicates and intervals). */
  clock?: PhaseClock | undefined;
}

/** One metric's point value, interval and (when null, or chosen by convention) reason. */
export interface MetricResult {
  value: number | null;
  ci: [number, number] | null;
  reason?: string;
  /** Merged runs, ROC AUC and average precision only: the row-level value is within ± this. */
  maxError?: number;
}

/** `evaluation.json`'s overall block. */
export interface GroupResult {
  n: number;
  metrics: Partial<Record<MetricName, MetricResult>>;
}

/** A slice; suppressed ones (fewer than `min-slice-size` rows) show `n` as `"< k"` and no metrics. */
export interface SliceResult {
  key: Record<string, string>;
  n: number | `< ${number}`;
  suppressed: boolean;
  metrics: Partial<Record<MetricName, MetricResult>>;
  /** Only on the `(other)` slice that pools values beyond the per-spec cap. */
  otherValues?: number;
}

/** The baseline's block: its metrics plus the paired candidate − baseline delta. */
export interface BaselineResult {
  overall: GroupResult & { delta: Partial<Record<MetricName, MetricResult>> };
  slices: (SliceResult & { delta: Partial<Record<MetricName, MetricResult>> })[];
}

/** What `evaluate` returns: the metric part of `evaluation.json`. */
export interface Evaluation {
  rows: number;
  overall: GroupResult;
  slices: SliceResult[];
  baseline?: BaselineResult;
}

/**
 * Scores the candidate (and baseline) overall and per slice, with percentile bootstrap intervals
 * and the paired bootstrap of candidate − baseline. Point values equal the standalone metric
 * functions. A binary model with probability scores goes through the mergeable state
 * (`createEvaluationState` → `finishEvaluation`, with exact AUC and AP from the rows), so its
 * intervals are the cell bootstrap and identical to those of any sharded run of the same rows;
 * other tasks reweight every row by `poissonWeight(rowId, seed, r)` in each replicate.
 *
 * @example
 * evaluate({ task: "binary", labels, scores, rowIds, sliceColumns, specs: ["region"], metrics: ["roc_auc"], bootstrap: 1000, seed: 7 });
 * // { rows: 5000, overall: { n: 5000, metrics: { roc_auc: { value: 0.81, ci: [0.79, 0.83] } } }, slices: [...] }
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const rows = input.labels.length;
  const classes = input.classes ?? 2;
  checkInput(input, rows, classes);
  const probabilities = (s: Float64Array | undefined) => !s || s.every((v) => v >= 0 && v <= 1);
  if (input.task === "binary" && probabilities(input.scores) && probabilities(input.baselineScores)) {
    return evaluateBinary(input);
  }
  const assignment = assignSlices(input.sliceColumns, rows, input.specs, {
    ...(input.maxSlicesPerSpec !== undefined ? { maxSlicesPerSpec: input.maxSlicesPerSpec } : {}),
    ...(input.file !== undefined ? { file: input.file } : {}),
  });
  const groups = 1 + assignment.slices.length;
  // Group 0 is every row, slice i is group i + 1; each spec's slice indices are dropped once copied.
  const groupIds = [groupIdArray(rows, groups)];
  assignment.rowSlice.forEach((slice, s) => {
    const ids = groupIdArray(rows, groups);
    for (let i = 0; i < rows; i++) ids[i] = slice[i]! + 1;
    groupIds.push(ids);
    assignment.rowSlice[s] = new Uint32Array(0);
  });
  input.onSlicesAssigned?.();
  return evaluateRows(input, assignment.slices, groupIds);
}

function evaluateBinary(input: EvaluateInput): Evaluation {
  const batches = new BatchEvaluationImpl({
    specs: input.specs,
    ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
    baseline: input.baselineScores !== undefined,
    ...(input.file !== undefined ? { file: input.file } : {}),
  });
  batches.add({
    labels: input.labels,
    scores: input.scores,
    ...(input.baselineScores ? { baselineScores: input.baselineScores } : {}),
    sliceColumns: input.sliceColumns,
  });
  input.onSlicesAssigned?.();
  return batches.finishChecked(input, {
    metrics: input.metrics,
    ...(input.minSliceSize !== undefined ? { minSliceSize: input.minSliceSize } : {}),
    ...(input.maxSlicesPerSpec !== undefined ? { maxSlicesPerSpec: input.maxSlicesPerSpec } : {}),
    bootstrap: input.bootstrap ?? 0,
    seed: input.seed ?? 0,
    ...(input.confidence !== undefined ? { confidence: input.confidence } : {}),
    clock: input.clock,
  });
}
