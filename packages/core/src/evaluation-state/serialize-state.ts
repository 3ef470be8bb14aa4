import { UserError } from "../errors/user-error.js";
import type { SliceSpec } from "../slicing/slice-spec.js";
import { CELL, CellState, type EvaluationSpec, type EvaluationState } from "./evaluation-state.js";

/** Schema tag of a serialised partial evaluation. */
export const EVALUATION_STATE_SCHEMA = "gauntlet/evaluation-state@1";

/** A partial evaluation as plain JSON: what a shard writes and a merge run reads. */
export interface SerializedEvaluationState {
  schema: typeof EVALUATION_STATE_SCHEMA;
  spec: { task: "binary"; specs: SliceSpec[]; threshold: number; baseline: boolean };
  rows: number;
  /** `[spec, parts or bin, n]`; group 0 is all rows. */
  groups: [number, string[] | number, number][];
  /** Per cell: group, key, then `CELL.WIDTH` integers (flat). */
  cells: number[];
  /** Per histogram entry: group, key, rows (flat). */
  fine: number[];
}

/**
 * The JSON-able form of a state. Every number is an integer (counts and fixed-point limbs), so
 * the round trip through JSON is exact. Its size is set by the groups and the occupied score
 * cells and histogram bins — about 25 numbers per cell — not by the rows.
 *
 * @example
 * JSON.stringify(serializeEvaluationState(state)).length; // a few MB for 100 slices, whatever the rows
 */
export function serializeEvaluationState(state: EvaluationState): SerializedEvaluationState {
  if (!(state instanceof CellState)) throw new TypeError("not a state from createEvaluationState");
  const flatCells: number[] = [];
  for (const cells of state.cells) {
    for (let i = 0; i < cells.size; i++) {
      flatCells.push(cells.keyA[i]!, cells.keyB[i]!);
      for (let f = 0; f < CELL.WIDTH; f++) flatCells.push(cells.data[i * CELL.WIDTH + f]!);
    }
  }
  const flatFine: number[] = [];
  state.fine.forEach((g, key, n) => {
    flatFine.push(g, key, n);
  });
  return {
    schema: EVALUATION_STATE_SCHEMA,
    spec: {
      task: "binary",
      specs: [...state.spec.specs],
      threshold: state.threshold,
      baseline: Boolean(state.spec.baseline),
    },
    rows: state.rows,
    groups: state.groups.list.map((g) => [g.spec, g.bin >= 0 ? g.bin : g.parts, g.n]),
    cells: flatCells,
    fine: flatFine,
  };
}

/**
 * Reads a serialised partial back into a state (which can be merged or finished). A file that is
 * not a partial evaluation is a `UserError` naming it.
 *
 * @example
 * const state = parseEvaluationState(JSON.parse(readFileSync("evaluation.part-1-of-3.json", "utf8")));
 */
export function parseEvaluationState(value: unknown, file?: string): EvaluationState {
  const data = value as SerializedEvaluationState;
  if (data?.schema !== EVALUATION_STATE_SCHEMA) {
    throw new UserError(`not a partial evaluation (${EVALUATION_STATE_SCHEMA})`, {
      ...(file ? { file } : {}),
      field: "schema",
      fix: "merge only the evaluation.part-*.json files that evaluate-slices wrote with shard",
    });
  }
  const spec: EvaluationSpec = { ...data.spec, ...(file ? { file } : {}) };
  const state = new CellState(spec);
  state.rows = data.rows;
  data.groups.forEach(([s, key, n], i) => {
    const g =
      i === 0 ? 0 : typeof key === "number" ? state.groups.group(s, [], key) : state.groups.group(s, key, -1);
    state.groups.list[g]!.n = n;
  });
  const stride = 2 + CELL.WIDTH;
  for (let at = 0; at < data.cells.length; at += stride) {
    const table = state.cellsOf(data.cells[at]!);
    const i = table.index(data.cells[at]!, data.cells[at + 1]!);
    for (let f = 0; f < CELL.WIDTH; f++) table.data[i * CELL.WIDTH + f] = data.cells[at + 2 + f]!;
  }
  for (let at = 0; at < data.fine.length; at += 3) {
    state.fine.add(data.fine[at]!, data.fine[at + 1]!, data.fine[at + 2]!);
  }
  return state;
}
