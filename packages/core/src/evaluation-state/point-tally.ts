import { BINARY_TALLY_SIZE, BT } from "../metrics/binary-pass.js";
import { ECE_BINS } from "../metrics/ece-bin.js";
import { CELL } from "./evaluation-state.js";
import { fixedValue, normalizeFixed } from "./fixed-sum.js";
import type { GroupCells } from "./group-cells.js";
import { CODE_SPAN, codeEceBin } from "./score-code.js";

/**
 * A group's unit-weight binary tally for one model (0 candidate, 1 baseline) from its cells:
 * counts, confusion counts, and the log-loss, Brier and ECE sums, all exact (the cell sums are
 * integers in 2⁻⁵² units, added in key order and rounded once). The AUC and AP numerators are
 * left for the caller: cells tie whole score bins, so those come from finer data.
 *
 * @example
 * const t = pointTally(cells, 0);
 * t[BT.LOSS] / (t[BT.POS] + t[BT.NEG]); // the log loss of the group's rows
 */
export function pointTally(cells: GroupCells, model: number): Float64Array {
  const W = CELL.WIDTH;
  const o = model * CELL.MODEL;
  const loss = new Float64Array(2);
  const brier = new Float64Array(2);
  const eceP = new Float64Array(ECE_BINS * 2);
  const ecePos = new Float64Array(ECE_BINS);
  const t = new Float64Array(BINARY_TALLY_SIZE);
  for (let k = 0; k < cells.keys.length; k++) {
    const key = cells.keys[k]!;
    const y = key % 2;
    const code = model === 0 ? Math.floor(key / 2 / CODE_SPAN) : Math.floor(key / 2) % CODE_SPAN;
    const at = k * W;
    const n = cells.data[at + CELL.N]!;
    t[y === 1 ? BT.POS : BT.NEG]! += n;
    if (code & 1) t[y === 1 ? BT.TP : BT.FP]! += n;
    const e = codeEceBin(code);
    if (y === 1) ecePos[e]! += n;
    for (let f = 0; f < 2; f++) {
      loss[f]! += cells.data[at + o + CELL.LOSS + f]!;
      brier[f]! += cells.data[at + o + CELL.BRIER + f]!;
      eceP[e * 2 + f]! += cells.data[at + o + CELL.P + f]!;
    }
    // Carry often enough that no low limb passes 2⁵³ however many cells a group has.
    if ((k & 0xfffff) === 0xfffff) {
      normalizeFixed(loss, 0);
      normalizeFixed(brier, 0);
      for (let e2 = 0; e2 < ECE_BINS; e2++) normalizeFixed(eceP, e2 * 2);
    }
  }
  t[BT.LOSS] = fixedValue(loss, 0);
  t[BT.BRIER] = fixedValue(brier, 0);
  let gap = 0;
  for (let e = 0; e < ECE_BINS; e++) gap += Math.abs(ecePos[e]! - fixedValue(eceP, e * 2));
  t[BT.ECE] = gap;
  return t;
}
