import { UserError } from "../errors/user-error.js";
import { CELL, CellState, type EvaluationState } from "./evaluation-state.js";

/**
 * One state holding the rows of all `states` (partials of one evaluation, e.g. one per shard):
 * groups are matched by spec and value, cells and histogram bins by key, and their integer sums
 * added, so the result equals — bit for bit, in everything `finishEvaluation` reads — the state of
 * all rows added in one run, in any order. Partials of different evaluations (slices, threshold,
 * baseline) are a `UserError`.
 *
 * @example
 * const merged = mergeEvaluationStates(files.map((f) => parseEvaluationState(readJson(f), f)));
 * merged.rows; // the sum of the shards' rows
 */
export function mergeEvaluationStates(states: readonly EvaluationState[]): EvaluationState {
  const parts = states.map((s) => {
    if (!(s instanceof CellState)) throw new TypeError("not a state from createEvaluationState");
    return s;
  });
  const first = parts[0];
  if (!first) throw new RangeError("no partial evaluations to merge");
  const signature = (s: CellState) =>
    JSON.stringify([s.spec.task, s.spec.specs, s.threshold, Boolean(s.spec.baseline)]);
  const merged = new CellState(first.spec);
  for (const part of parts) {
    if (signature(part) !== signature(first)) {
      throw new UserError("the partial evaluations disagree on slices, threshold or baseline", {
        ...(part.spec.file ? { file: part.spec.file } : {}),
        field: "evaluation",
        fix: "rerun every shard with the same manifest before merging",
      });
    }
    merged.rows += part.rows;
    const map = part.groups.list.map((g, i) => (i === 0 ? 0 : merged.groups.group(g.spec, g.parts, g.bin)));
    part.groups.list.forEach((g, i) => {
      merged.groups.list[map[i]!]!.n += g.n;
    });
    for (const cells of part.cells) {
      for (let i = 0; i < cells.size; i++) {
        const g = map[cells.keyA[i]!]!;
        const table = merged.cellsOf(g);
        const at = table.index(g, cells.keyB[i]!) * CELL.WIDTH;
        for (let f = 0; f < CELL.WIDTH; f++) table.data[at + f]! += cells.data[i * CELL.WIDTH + f]!;
      }
    }
    part.fine.forEach((g, key, n) => {
      merged.fine.add(map[g]!, key, n);
    });
    merged.normalize();
  }
  return merged;
}
