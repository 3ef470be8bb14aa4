import { UserError } from "../errors/user-error.js";
import type { Task } from "../manifest/metric-names.js";
import { FLOAT64_EPS } from "../metrics/binary-pass.js";
import type { GroupIds } from "../slicing/group-ids.js";
import type { SliceSpec } from "../slicing/slice-spec.js";
import type { Column } from "../table/column.js";
import { BinCounts } from "./bin-counts.js";
import { CellTable } from "./cell-table.js";
import { checkBatch } from "./check-batch.js";
import { addFixed, FIXED_BATCH, FIXED_MAX_ROWS, normalizeFixed } from "./fixed-sum.js";
import { CODE_SPAN, coarseCode, FINE_BINS, fineBin, logOdds } from "./score-code.js";
import { SliceGroups } from "./slice-groups.js";

/** What every shard of one evaluation must agree on. */
export interface EvaluationSpec {
  /** Only `binary` has a mergeable state; other tasks are evaluated in one run by `evaluate`. */
  task: Task;
  specs: readonly SliceSpec[];
  /** Decision threshold of the confusion-matrix metrics (default 0.5). */
  threshold?: number;
  /** Whether batches carry baseline scores (then every batch must). */
  baseline?: boolean;
  /** The manifest path, for error messages. */
  file?: string;
}

/** One batch of rows for {@link EvaluationState.add}. */
export interface EvaluationRows {
  /** 0 or 1 (1 = positive). */
  labels: ArrayLike<number>;
  /** Positive-class probabilities in [0, 1]. */
  scores: ArrayLike<number>;
  baselineScores?: ArrayLike<number>;
  /** The batch's slice columns (every column a spec names). */
  sliceColumns: ReadonlyMap<string, Column>;
}

/** A checked batch's labels and scores, without its slice columns: see {@link CellState.addGrouped}. */
export type GroupedRows = Omit<EvaluationRows, "sliceColumns">;

/** A partial evaluation: bounded, order-independent sums that merge exactly across shards. */
export interface EvaluationState {
  readonly spec: Readonly<EvaluationSpec>;
  /** Rows added so far. */
  readonly rows: number;
  /** Adds a batch; the result does not depend on how rows are split into batches or shards. */
  add(rows: EvaluationRows): void;
}

/**
 * Per-cell fields: the row count, then per model (stride `MODEL`) two-limb fixed-point sums of
 * p, the log-loss term, the Brier term, u and u² — u = (log-odds clamped to ±16 + 16)/8, the
 * row's position within the cell — and finally Σ u_candidate·u_baseline. The u moments give the
 * within-cell spread the bootstrap would otherwise lose.
 */
export const CELL = { N: 0, P: 1, LOSS: 3, BRIER: 5, U: 7, UU: 9, MODEL: 10, CROSS: 21, WIDTH: 23 } as const;

/** A probability's position u = (log-odds clamped to ±16 + 16)/8, in [0, 4]. */
export function cellPosition(p: number, z = logOdds(p)): number {
  return (Math.min(16, Math.max(-16, z)) + 16) / 8;
}

/** Rows per chunk of `add`: each row's terms are computed for a chunk, then added grouping by grouping. */
const CHUNK = 4096;
/** Rows per segment of `add`: a spec pair's joint cells sum a segment's rows, then go to both specs. */
const SEGMENT = 1 << 16;
/** Batches below this go row by row into every table: joint cells would not repeat enough to pay. */
const JOINT_MIN_ROWS = CHUNK;
/** Joint cells of a segment of at least this many rows tell whether they pay off. */
const JOINT_JUDGE_ROWS = 1 << 14;
/** Group indices a joint key packs (two per uint32). */
const JOINT_GROUPS = 1 << 16;

/** The one implementation of {@link EvaluationState}; other modules read its tables. */
export class CellState implements EvaluationState {
  rows = 0;
  readonly groups: SliceGroups;
  /**
   * Per grouping (0 = all rows, s + 1 = spec s), cells keyed (group, (candidate code · CODE_SPAN
   * + baseline code) · 2 + label). One small table per grouping keeps the hot loop in cache.
   */
  readonly cells: CellTable[];
  /** Ranking histograms: rows per (group, (model · FINE_BINS + fine bin) · 2 + label). */
  readonly fine = new BinCounts();
  readonly threshold: number;
  private pending = 0;
  /**
   * Per pair of specs (2k, 2k + 1), a segment's cells keyed (both groups, cell key): a row is
   * added once for the pair instead of once per spec, and each joint cell — a few thousand per
   * segment where there are tens of thousands of rows — then once to each spec's table (and the
   * first pair's to all rows'). Sums are integers, so the tables come out the same bit for bit,
   * and cells are created in the order of their first row, as row by row.
   */
  private readonly joint: CellTable[] = [];
  /** Per pair, whether its joint cells still pay: off for good once a segment hardly repeats. */
  private readonly jointOn: boolean[] = [];

  constructor(readonly spec: Readonly<EvaluationSpec>) {
    if (spec.task !== "binary") {
      throw new UserError(`a ${spec.task} model cannot be evaluated in shards`, {
        ...(spec.file ? { file: spec.file } : {}),
        field: "evaluation",
        fix: "evaluate multiclass and regression models without shard (one run)",
      });
    }
    this.threshold = spec.threshold ?? 0.5;
    this.groups = new SliceGroups(spec.specs, spec.file);
    this.cells = [-1, ...spec.specs.keys()].map(() => new CellTable(CELL.WIDTH));
    for (let p = 0; 2 * p + 1 < spec.specs.length; p++) {
      this.joint.push(new CellTable(CELL.WIDTH));
      this.jointOn.push(true);
    }
  }

  /** The cell table of a group's grouping. */
  cellsOf(group: number): CellTable {
    return this.cells[this.groups.list[group]!.spec + 1]!;
  }

  /** Adds a batch; returns, per spec, each row's state group (what `SliceGroups.assign` gives). */
  add(batch: EvaluationRows): GroupIds[] {
    const groupOf = this.assign(batch);
    this.addGrouped(batch, groupOf, this.groups.list.length);
    return groupOf;
  }

  /**
   * The first half of {@link add}: checks a batch, puts its rows in groups (counting them) and
   * counts its rows, but leaves the tables alone — for a caller that has another state (in
   * another thread, say) add the rows to its tables with {@link addGrouped}.
   */
  assign(batch: EvaluationRows): GroupIds[] {
    checkBatch(this.spec, this.rows, batch);
    const groupOf = this.groups.assign(batch.sliceColumns, batch.labels.length);
    this.rows += batch.labels.length;
    return groupOf;
  }

  /**
   * The second half of {@link add}: adds a checked batch's rows to the cell tables and ranking
   * histograms, given each row's group per spec (from {@link assign}) and how many groups there
   * are so far. Does not count the rows: a state fed only this way reports 0 rows.
   */
  addGrouped(batch: GroupedRows, groupOf: readonly GroupIds[], groupCount: number): void {
    const n = batch.labels.length;
    const models = batch.baselineScores ? [batch.scores, batch.baselineScores] : [batch.scores];
    const W = CELL.WIDTH;
    const terms = new Float64Array(CHUNK * W);
    const cellKey = new Float64Array(CHUNK);
    const fineKey = new Int32Array(CHUNK * 2).fill(-1);
    const position = new Float64Array(2);
    const overall = new Uint8Array(CHUNK);
    const pairs = this.joint.length;
    const jointFits = n >= JOINT_MIN_ROWS && groupCount <= JOINT_GROUPS;
    // Rows go in segments, and a segment in chunks: first each row's terms, then grouping by
    // grouping (or pair by pair), so one table stays in cache while the chunk's rows go into it.
    for (let from = 0; from < n; from += SEGMENT) {
      const rows = Math.min(SEGMENT, n - from);
      const paired = this.jointOn.map((on) => on && jointFits);
      for (let p = 0; p < pairs; p++) if (paired[p]) this.joint[p]!.clear();
      for (let start = from; start < from + rows; start += CHUNK) {
        const size = Math.min(CHUNK, from + rows - start);
        terms.fill(0);
        for (let r = 0; r < size; r++) {
          const i = start + r;
          const y = batch.labels[i] === 1 ? 1 : 0;
          const t = r * W;
          terms[t + CELL.N] = 1;
          let code = 0;
          for (let m = 0; m < models.length; m++) {
            const p = models[m]![i]!;
            const q = Math.min(Math.max(y === 1 ? p : 1 - p, FLOAT64_EPS), 1 - FLOAT64_EPS);
            const o = t + m * CELL.MODEL;
            const z = logOdds(p);
            const u = cellPosition(p, z);
            addFixed(terms, o + CELL.P, p);
            addFixed(terms, o + CELL.LOSS, -Math.log(q));
            addFixed(terms, o + CELL.BRIER, (y - p) * (y - p));
            addFixed(terms, o + CELL.U, u);
            addFixed(terms, o + CELL.UU, u * u);
            position[m] = u;
            code = code * CODE_SPAN + coarseCode(p, this.threshold, z);
            fineKey[2 * r + m] = (m * FINE_BINS + fineBin(p, z)) * 2 + y;
          }
          if (models.length === 1) code *= CODE_SPAN;
          else addFixed(terms, t + CELL.CROSS, position[0]! * position[1]!);
          cellKey[r] = code * 2 + y;
        }
        if (pairs > 0 && paired[0]) addFine(this.fine, overall, size, models.length, fineKey);
        else addToTables(this.cells[0]!, this.fine, overall, size, models.length, cellKey, fineKey, terms);
        for (let s = 0; s < groupOf.length; s++) {
          const ids = groupOf[s]!.subarray(start, start + size);
          const p = s >> 1;
          if (p < pairs && paired[p]) {
            if ((s & 1) === 1) {
              const first = groupOf[s - 1]!.subarray(start, start + size);
              addJoint(this.joint[p]!, first, ids, size, cellKey, terms);
            }
            addFine(this.fine, ids, size, models.length, fineKey);
          } else {
            addToTables(this.cells[s + 1]!, this.fine, ids, size, models.length, cellKey, fineKey, terms);
          }
        }
      }
      for (let p = 0; p < pairs; p++) {
        if (!paired[p]) continue;
        const joint = this.joint[p]!;
        spreadJoint(joint, p === 0 ? this.cells[0]! : null, this.cells[2 * p + 1]!, this.cells[2 * p + 2]!);
        if (rows >= JOINT_JUDGE_ROWS && joint.size > rows / 2) this.jointOn[p] = false;
      }
      this.pending += rows;
      if (this.pending + SEGMENT > FIXED_BATCH) this.normalize();
    }
    this.normalize();
  }

  /** Carries every cell's low limbs (so the tables are canonical) and checks the row limit. */
  normalize(): void {
    for (const table of this.cells) {
      const data = table.data;
      for (let at = 0; at < table.size * CELL.WIDTH; at += CELL.WIDTH) {
        if (data[at + CELL.N]! > FIXED_MAX_ROWS) {
          throw new RangeError(`a bootstrap cell holds more than ${FIXED_MAX_ROWS} rows`);
        }
        for (let f = 1; f < CELL.WIDTH; f += 2) normalizeFixed(data, at + f);
      }
    }
    this.pending = 0;
  }
}

/** Adds a chunk's rows to one grouping's tables; small, so that the JIT optimises it on its own. */
function addToTables(
  cells: CellTable,
  fine: BinCounts,
  ids: GroupIds,
  size: number,
  models: number,
  cellKey: Float64Array,
  fineKey: Int32Array,
  terms: Float64Array,
): void {
  const W = CELL.WIDTH;
  for (let r = 0; r < size; r++) {
    const g = ids[r]!;
    // index() may grow a table, so its data array is read after it.
    const at = cells.index(g, cellKey[r]!) * W;
    const data = cells.data;
    for (let f = 0; f < W; f++) data[at + f]! += terms[r * W + f]!;
  }
  addFine(fine, ids, size, models, fineKey);
}

/** Adds a chunk's rows to one grouping's ranking histograms. */
function addFine(fine: BinCounts, ids: GroupIds, size: number, models: number, fineKey: Int32Array): void {
  fine.addRows(ids, fineKey, models, size);
}

/** Adds a chunk's rows to a pair's joint cells, keyed (first group · 2¹⁶ + second group, cell key). */
function addJoint(
  joint: CellTable,
  first: GroupIds,
  second: GroupIds,
  size: number,
  cellKey: Float64Array,
  terms: Float64Array,
): void {
  const W = CELL.WIDTH;
  for (let r = 0; r < size; r++) {
    const at = joint.index(first[r]! * JOINT_GROUPS + second[r]!, cellKey[r]!) * W;
    const data = joint.data;
    for (let f = 0; f < W; f++) data[at + f]! += terms[r * W + f]!;
  }
}

/** Adds a segment's joint cells to each spec's table and, for the first pair, to all rows'. */
function spreadJoint(joint: CellTable, overall: CellTable | null, first: CellTable, second: CellTable): void {
  const W = CELL.WIDTH;
  const from = joint.data;
  for (let i = 0; i < joint.size; i++) {
    const a = joint.keyA[i]!;
    const key = joint.keyB[i]!;
    const o = i * W;
    if (overall) addRecord(overall, 0, key, from, o);
    addRecord(first, Math.floor(a / JOINT_GROUPS), key, from, o);
    addRecord(second, a % JOINT_GROUPS, key, from, o);
  }
}

function addRecord(table: CellTable, g: number, key: number, from: Float64Array, o: number): void {
  const at = table.index(g, key) * CELL.WIDTH;
  const data = table.data;
  for (let f = 0; f < CELL.WIDTH; f++) data[at + f]! += from[o + f]!;
}

/**
 * A new, empty partial evaluation. Each shard adds its rows in batches, serialises the state, and
 * a merge run combines the partials with `mergeEvaluationStates` and finishes with
 * `finishEvaluation`. Per group (all rows and every slice value) the state keeps bootstrap cells
 * — rows sharing a candidate score code, a baseline score code and a label — with their count and
 * exact sums of p, log-loss and Brier terms, plus 1/128-log-odds histograms for AUC and average
 * precision. Its size depends on the groups and the spread of the scores, never on the rows.
 *
 * @example
 * const state = createEvaluationState({ task: "binary", specs: ["region"], baseline: true });
 * state.add({ labels, scores, baselineScores, sliceColumns });
 * state.rows; // labels.length
 */
export function createEvaluationState(spec: EvaluationSpec): EvaluationState {
  return new CellState(spec);
}
