import { CellState, type GroupedRows } from "../evaluation-state/evaluation-state.js";
import { exportTables, type StateTables } from "../evaluation-state/state-tables.js";
import { type DescendingKeys, descendingKeys } from "../metrics/descending-order.js";
import { sortedRankingSums } from "../metrics/ranking-pass.js";
import type { GroupIds } from "../slicing/group-ids.js";
import type { GroupFields } from "../slicing/packed-group-ids.js";
import type { BatchEvaluationSpec, CellLane } from "./batch-evaluation.js";

/** What a {@link CellLane} does, synchronously: the part a worker thread runs. */
export interface LaneWork {
  add(rows: GroupedRows, groupOf: readonly GroupIds[], groupCount: number): void;
  tables(): StateTables;
  sort(labels: Uint8Array | Float64Array, models: Float64Array[]): void;
  ranking(fields: GroupFields, groups: number): Float64Array[];
}

/**
 * The work of a {@link CellLane} for an evaluation of `spec`: its own `CellState`, whose tables
 * take the rows (their groups assigned by the evaluation's state), and the exact ranking sums.
 * A worker thread answers each lane message with one of these calls.
 *
 * @example
 * const work = createLaneWork({ specs: ["region"], baseline: true });
 * work.add({ labels, scores, baselineScores }, groupOf, groupCount);
 * work.tables(); // { cells: [...], fine: Float64Array [...] }
 */
export function createLaneWork(spec: BatchEvaluationSpec): LaneWork {
  const state = new CellState({
    task: "binary",
    specs: spec.specs,
    ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
    baseline: spec.baseline,
    ...(spec.file !== undefined ? { file: spec.file } : {}),
  });
  let sorted: { labels: Uint8Array | Float64Array; models: DescendingKeys[] } | undefined;
  return {
    add: (rows, groupOf, groupCount) => state.addGrouped(rows, groupOf, groupCount),
    tables: () => exportTables(state),
    sort: (labels, models) => {
      sorted = { labels, models: models.map((scores) => descendingKeys(scores)) };
    },
    ranking: (fields, groups) => {
      if (!sorted) throw new Error("ranking before sort");
      const { labels, models } = sorted;
      return models.map((keys) => sortedRankingSums(labels, keys, fields, groups));
    },
  };
}

/**
 * A {@link CellLane} that does its work at once, in this thread: what a worker lane must match,
 * and the lane of a machine with one core.
 *
 * @example
 * const batches = createBatchEvaluation(spec, inThreadLane(spec));
 */
export function inThreadLane(spec: BatchEvaluationSpec): CellLane {
  const work = createLaneWork(spec);
  return {
    add: (rows, groupOf, groupCount) => work.add(rows, groupOf, groupCount),
    idle: async () => {},
    tables: async () => work.tables(),
    sort: (labels, models) => work.sort(labels, models),
    ranking: async (fields, groups) => work.ranking(fields, groups),
    close: () => {},
  };
}
