import { CELL, type CellState } from "./evaluation-state.js";

/** One grouping's cell table as plain typed arrays: records in insertion order. */
export interface TableRecords {
  size: number;
  keyA: Uint32Array;
  keyB: Uint32Array;
  /** `size · CELL.WIDTH` fields. */
  data: Float64Array;
}

/**
 * A state's cell tables and ranking histograms, and nothing of its groups: what a state that was
 * fed with `CellState.addGrouped` (in a worker thread) hands back to the state that assigned the
 * groups. Typed arrays only, so it crosses `postMessage` as a few memory copies.
 */
export interface StateTables {
  /** Per grouping (0 = all rows, s + 1 = spec s). */
  cells: TableRecords[];
  /** Histogram counts as (group, key, rows) triples, by group then key. */
  fine: Float64Array;
}

/**
 * The tables of `state`, copied out (see {@link StateTables}).
 *
 * @example
 * const tables = exportTables(workerState); // posted to the main thread
 */
export function exportTables(state: CellState): StateTables {
  const cells = state.cells.map((table) => ({
    size: table.size,
    keyA: table.keyA.slice(0, table.size),
    keyB: table.keyB.slice(0, table.size),
    data: table.data.slice(0, table.size * CELL.WIDTH),
  }));
  const fine: number[] = [];
  state.fine.forEach((g, key, n) => {
    fine.push(g, key, n);
  });
  return { cells, fine: Float64Array.from(fine) };
}

/**
 * Adds exported tables into `state`'s, record by record in their order, so a state whose tables
 * were empty ends up with the tables of the state they came from, bit for bit and in the same
 * order. The groups, their counts and the rows stay `state`'s own.
 *
 * @example
 * importTables(mainState, tablesFromWorker);
 * finishEvaluation(mainState, options);
 */
export function importTables(state: CellState, tables: StateTables): void {
  if (tables.cells.length !== state.cells.length) {
    throw new RangeError(`expected ${state.cells.length} cell tables, got ${tables.cells.length}`);
  }
  const W = CELL.WIDTH;
  tables.cells.forEach((from, t) => {
    const table = state.cells[t]!;
    for (let i = 0; i < from.size; i++) {
      const at = table.index(from.keyA[i]!, from.keyB[i]!) * W;
      const data = table.data;
      for (let f = 0; f < W; f++) data[at + f]! += from.data[i * W + f]!;
    }
  });
  const { fine } = tables;
  for (let at = 0; at < fine.length; at += 3) state.fine.add(fine[at]!, fine[at + 1]!, fine[at + 2]!);
  state.normalize();
}
