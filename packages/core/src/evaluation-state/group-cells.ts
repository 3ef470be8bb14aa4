import type { CellTable } from "./cell-table.js";
import { CELL, type CellState } from "./evaluation-state.js";
import { normalizeFixed } from "./fixed-sum.js";

/** One result group's bootstrap cells, ascending by cell key, with their `CELL` fields. */
export interface GroupCells {
  /** Cell keys: (candidate code · CODE_SPAN + baseline code) · 2 + label. */
  keys: Float64Array;
  /** `CELL.WIDTH` numbers per cell. */
  data: Float64Array;
}

/**
 * Gathers each result group's cells from the state groups it pools, adding cells with the same
 * key (exactly: the sums are integers), in ascending key order. Key order makes everything
 * computed from the cells independent of the order in which shards were merged.
 *
 * @example
 * const [overall] = collectCells(state, finalGroups(state).finalOf, 1 + slices.length);
 * overall.keys.length; // distinct (candidate code, baseline code, label) among all rows
 */
export function collectCells(state: CellState, finalOf: Int32Array, groups: number): GroupCells[] {
  // Per result group, its cells as (table, record) pairs.
  const lists: [CellTable, number][][] = Array.from({ length: groups }, () => []);
  for (const table of state.cells) {
    for (let i = 0; i < table.size; i++) {
      const f = finalOf[table.keyA[i]!]!;
      if (f >= 0) lists[f]!.push([table, i]);
    }
  }
  const W = CELL.WIDTH;
  return lists.map((cells) => {
    const byKey = new Map<number, number>();
    const keys: number[] = [];
    const sums: number[] = [];
    for (const [table, i] of cells) {
      const key = table.keyB[i]!;
      let at = byKey.get(key);
      if (at === undefined) {
        at = keys.length;
        byKey.set(key, at);
        keys.push(key);
        for (let f = 0; f < W; f++) sums.push(0);
      }
      for (let f = 0; f < W; f++) sums[at * W + f]! += table.data[i * W + f]!;
    }
    const order = keys.map((_, j) => j).sort((a, b) => keys[a]! - keys[b]!);
    const out: GroupCells = { keys: new Float64Array(keys.length), data: new Float64Array(sums.length) };
    order.forEach((j, k) => {
      out.keys[k] = keys[j]!;
      for (let f = 0; f < W; f++) out.data[k * W + f] = sums[j * W + f]!;
      for (let f = 1; f < W; f += 2) normalizeFixed(out.data, k * W + f);
    });
    return out;
  });
}
