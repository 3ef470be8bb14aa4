import { CellState, type EvaluationRows, type GroupedRows } from "../evaluation-state/evaluation-state.js";
import { finalGroups } from "../evaluation-state/final-groups.js";
import { type FinishOptions, finishState, planFinish } from "../evaluation-state/finish-evaluation.js";
import { importTables, type StateTables } from "../evaluation-state/state-tables.js";
import { fieldRankingSums } from "../metrics/ranking-pass.js";
import { type GroupIds, groupIdArray } from "../slicing/group-ids.js";
import { type GroupFields, PackedGroupIds } from "../slicing/packed-group-ids.js";
import type { SliceSpec } from "../slicing/slice-spec.js";
import { checkInput } from "./check-input.js";
import type { Evaluation } from "./evaluate.js";
import { evaluateRows } from "./evaluate-rows.js";

/** What a {@link BatchEvaluation} is of: a binary model's slices, threshold and baseline. */
export interface BatchEvaluationSpec {
  specs: readonly SliceSpec[];
  /** Decision threshold of the confusion-matrix metrics (default 0.5). */
  threshold?: number;
  /** Whether batches carry baseline scores (then every batch must). */
  baseline: boolean;
  /** The manifest path, for error messages. */
  file?: string;
}

/** Every row added, in the order added, for {@link BatchEvaluation.finish}. */
export interface BatchEvaluationRows {
  /** 0 or 1 (1 = positive). */
  labels: Float64Array | Uint8Array;
  /** Positive-class probabilities. */
  scores: Float64Array;
  baselineScores?: Float64Array;
  /** `rowIdHash` of each row's key. */
  rowIds: Uint32Array;
}

/**
 * Another thread's half of a {@link BatchEvaluation} (see `createBatchEvaluation`): a `CellState`
 * of the same spec that adds rows to its tables with `addGrouped` — in the order given — and
 * computes exact ranking sums with `fieldRankingSums`.
 */
export interface CellLane {
  /** Queues a batch for the lane's tables: its labels, scores, groups per spec and group count. */
  add(rows: GroupedRows, groupOf: readonly GroupIds[], groupCount: number): void;
  /** Settles once the lane has taken every batch queued so far. */
  idle(): Promise<void>;
  /** The lane's tables once every queued batch is in them (see `exportTables`). */
  tables(): Promise<StateTables>;
  /**
   * Hands over every row's label and each model's scores, which the lane sorts (`descendingKeys`)
   * while this thread decides the result groups.
   */
  sort(labels: Uint8Array | Float64Array, models: Float64Array[]): void;
  /** `fieldRankingSums(labels, scores, fields, groups)` for each model's scores, as last sorted. */
  ranking(fields: GroupFields, groups: number): Promise<Float64Array[]>;
  /** Stops the lane; it takes no more calls. */
  close(): void;
}

/** A binary evaluation fed batch by batch, then finished with the rows' labels and scores. */
export interface BatchEvaluation {
  /** Rows added so far. */
  readonly rows: number;
  /** Whether the work is still shared with a lane: not without one, nor once scores left [0, 1]. */
  readonly shared: boolean;
  /** Adds a batch; its slice columns are not read again, so the caller can drop them. */
  add(batch: EvaluationRows): void;
  /**
   * Settles once the lane (if any) has taken every batch added: a caller that waits for it
   * before its next heavy step (scoring the next batch) keeps the two from sharing the cores.
   */
  idle(): Promise<void>;
  /** The evaluation of every row added; `rows` holds all of them, in the order added. */
  finish(rows: BatchEvaluationRows, options: FinishOptions): Evaluation;
  /**
   * {@link finish}, the same bit for bit, with the work shared with the lane given to
   * `createBatchEvaluation` (without one, it is `finish`). Closes the lane.
   */
  finishShared(rows: BatchEvaluationRows, options: FinishOptions): Promise<Evaluation>;
}

const probabilities = (s: ArrayLike<number> | undefined) => {
  if (!s) return true;
  for (let i = 0; i < s.length; i++) if (!(s[i]! >= 0 && s[i]! <= 1)) return false;
  return true;
};

/**
 * `evaluate` for a binary model whose rows arrive in batches (a streamed read), with the same
 * result, bit for bit, however the rows are split: each batch goes into the mergeable state (its
 * cells and histograms) and leaves only its rows' group ids (about one byte per row and spec), so
 * slice columns never have to be held. `finish` takes the per-row labels and scores for the exact
 * ROC AUC and average precision. Should a batch hold scores outside [0, 1] (which `evaluate`
 * scores by reweighting rows), the state stops taking cells and `finish` reweights the rows,
 * grouped by the ids kept.
 *
 * @example
 * const batches = createBatchEvaluation({ specs: ["region"], baseline: true });
 * for (const b of scoredBatches) batches.add({ labels: b.labels, scores: b.scores, baselineScores: b.baseline, sliceColumns: b.columns });
 * batches.finish({ labels, scores, baselineScores, rowIds }, { metrics: ["roc_auc"], bootstrap: 1000, seed: 7 });
 * // { rows: 5000, overall: { n: 5000, metrics: { roc_auc: { value: 0.81, ci: [0.79, 0.83] } } }, slices: [...] }
 *
 * With a `lane` (another thread), each batch is put in groups here and added to the cell tables
 * there, and `finishShared` has the lane compute the exact AUC and AP while this thread draws the
 * bootstrap: the result is the same bit for bit, in about half the time on two cores.
 */
export function createBatchEvaluation(spec: BatchEvaluationSpec, lane?: CellLane): BatchEvaluation {
  return new BatchEvaluationImpl(spec, lane);
}

/** The one implementation of {@link BatchEvaluation}; `evaluate` finishes it without checking twice. */
export class BatchEvaluationImpl implements BatchEvaluation {
  private readonly state: CellState;
  private readonly ids: PackedGroupIds;
  /** Whether every batch so far had probability scores, and so went into the state's cells. */
  private cells = true;

  constructor(
    readonly spec: BatchEvaluationSpec,
    private lane?: CellLane,
  ) {
    this.state = new CellState({
      task: "binary",
      specs: spec.specs,
      ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
      baseline: spec.baseline,
      ...(spec.file !== undefined ? { file: spec.file } : {}),
    });
    this.ids = new PackedGroupIds(1 + spec.specs.length);
  }

  get rows(): number {
    return this.ids.rows;
  }

  get shared(): boolean {
    return this.lane !== undefined && this.cells;
  }

  add(batch: EvaluationRows): void {
    const n = batch.labels.length;
    if (this.cells && probabilities(batch.scores) && probabilities(batch.baselineScores)) {
      if (!this.lane) {
        this.ids.add(this.state.add(batch), n);
        return;
      }
      const groupOf = this.state.assign(batch);
      const rows: GroupedRows = { labels: batch.labels, scores: batch.scores };
      if (batch.baselineScores) rows.baselineScores = batch.baselineScores;
      this.lane.add(rows, groupOf, this.state.groups.list.length);
      this.ids.add(groupOf, n);
      return;
    }
    this.cells = false;
    this.closeLane();
    this.ids.add(this.state.groups.assign(batch.sliceColumns, n), n);
  }

  async idle(): Promise<void> {
    await this.lane?.idle();
  }

  finish(rows: BatchEvaluationRows, options: FinishOptions): Evaluation {
    if (this.lane) throw new TypeError("an evaluation with a lane finishes with finishShared");
    this.check(rows, options);
    return this.finishChecked(rows, options);
  }

  async finishShared(rows: BatchEvaluationRows, options: FinishOptions): Promise<Evaluation> {
    const lane = this.lane;
    try {
      this.check(rows, options);
      if (!lane || !this.cells) return this.finishChecked(rows, options);
      // The tables are asked for first: the lane sorts the scores while this thread imports them.
      const tables = lane.tables();
      lane.sort(rows.labels, rows.baselineScores ? [rows.scores, rows.baselineScores] : [rows.scores]);
      importTables(this.state, await tables);
      const plan = planFinish(this.state, options);
      const sums = lane.ranking(this.fields(plan.finalOf), plan.groups);
      // Awaited below; this keeps a rejection from being unhandled should the replicates throw first.
      sums.catch(() => {});
      const draws = plan.draws();
      return plan.assemble(draws, await sums);
    } finally {
      this.closeLane();
    }
  }

  private closeLane(): void {
    this.lane?.close();
    delete this.lane;
  }

  private check(rows: BatchEvaluationRows, options: FinishOptions): void {
    if (rows.labels.length !== this.rows) {
      throw new RangeError(`expected the ${this.rows} rows added, got ${rows.labels.length} labels`);
    }
    checkInput(
      {
        task: "binary",
        ...rows,
        metrics: options.metrics,
        ...(this.spec.file !== undefined ? { file: this.spec.file } : {}),
      },
      rows.labels.length,
      2,
    );
  }

  /** Every row's result groups, packed (see `GroupFields`); the packed ids are released. */
  private fields(finalOf: Int32Array): GroupFields {
    const stride = this.ids.stride;
    // Each grouping's result groups are a contiguous range: slices come spec by spec.
    const low = new Int32Array(stride).fill(finalOf[0]!);
    const high = new Int32Array(stride).fill(finalOf[0]!);
    const seen = new Uint8Array(stride);
    this.state.groups.list.forEach((group, g) => {
      const f = finalOf[g]!;
      const j = group.spec + 1;
      if (f < 0 || j === 0) return;
      low[j] = seen[j] ? Math.min(low[j]!, f) : f;
      high[j] = seen[j] ? Math.max(high[j]!, f) : f;
      seen[j] = 1;
    });
    return this.ids.finishFields(finalOf, low, high);
  }

  /** {@link finish} of rows that `checkInput` has passed. */
  finishChecked(rows: BatchEvaluationRows, options: FinishOptions): Evaluation {
    const { labels } = rows;
    const models = rows.baselineScores ? [rows.scores, rows.baselineScores] : [rows.scores];
    const stride = this.ids.stride;
    if (this.cells) {
      return finishState(this.state, options, (finalOf, groups) => {
        const fields = this.fields(finalOf);
        return models.map((scores) => fieldRankingSums(labels, scores, fields, groups));
      });
    }
    const final = finalGroups(this.state, options.maxSlicesPerSpec);
    const groups = final.members.length;
    const packed = this.ids.finish(final.finalOf, groups);
    const n = labels.length;
    const groupIds = Array.from({ length: stride }, (_, j) => {
      const ids = groupIdArray(n, groups);
      if (j > 0) for (let i = 0; i < n; i++) ids[i] = packed[i * stride + j]!;
      return ids;
    });
    return evaluateRows(
      {
        task: "binary",
        ...rows,
        metrics: options.metrics,
        ...(this.spec.threshold !== undefined ? { threshold: this.spec.threshold } : {}),
        ...(options.minSliceSize !== undefined ? { minSliceSize: options.minSliceSize } : {}),
        bootstrap: options.bootstrap ?? 0,
        seed: options.seed ?? 0,
        ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
        clock: options.clock,
      },
      final.slices,
      groupIds,
    );
  }
}
