import type { MetricName } from "../manifest/metric-names.js";
import {
  BINARY_TALLY,
  BINARY_TALLY_SIZE,
  binaryPassFrom,
  type PassData,
  type PassRows,
  type RowPass,
} from "./binary-pass.js";

/**
 * Binary metrics read from the confusion counts alone (positives, negatives, true and false
 * positives at the threshold): what {@link prepareCountPass} computes.
 */
export const COUNT_METRICS: ReadonlySet<MetricName> = new Set<MetricName>([
  "accuracy",
  "precision",
  "recall",
  "f1",
  "selection_rate",
  "fpr",
]);

/**
 * A binary pass that tallies only the confusion counts: per group, the weighted positives,
 * negatives, true positives and false positives at the threshold, in the binary tally's layout
 * (`BINARY_TALLY`), every other field `NaN`. It needs no score order, so a run walks the rows in input order
 * with one addition per row and grouping — the bootstrap's pass when every metric it replicates is
 * in {@link COUNT_METRICS} (rank metrics, losses and ECE are Gaussian or not asked for). Its counts
 * are those of `prepareBinaryPass` for the same weights: integer weights sum exactly in any order,
 * so bootstrap replicates without sample weights are the same numbers bit for bit. With `only`,
 * just those groups are counted (the others' fields are all `NaN`), at the cost of their rows.
 *
 * @example
 * const pass = prepareCountPass({ labels: [0, 1, 1], scores: [0.7, 0.9, 0.2], groupIds: [new Uint8Array(3)], groups: 1 }, 0.5);
 * const out = new Float64Array(pass.tallySize);
 * pass.run(null, out);
 * [out[BINARY_TALLY.POS], out[BINARY_TALLY.NEG], out[BINARY_TALLY.TP], out[BINARY_TALLY.FP]]; // [2, 1, 1, 1]
 */
export function prepareCountPass(rows: PassRows, threshold: number, only?: readonly number[]): RowPass {
  const n = rows.labels.length;
  const groups = rows.groups;
  const counted = new Uint8Array(new SharedArrayBuffer(groups)).fill(only ? 0 : 1);
  for (const g of only ?? []) counted[g] = 1;
  // cell = label + 2 · predicted: 0 TN, 1 FN, 2 FP, 3 TP.
  const cell = new Uint8Array(n);
  for (let i = 0; i < n; i++)
    cell[i] = (rows.labels[i] === 1 ? 1 : 0) + (rows.scores[i]! >= threshold ? 2 : 0);
  // Per grouping, the rows in a counted group and the slot of their group's cell sums: a run reads
  // only those (a grouping whose counted groups are small costs their rows, not every row).
  const lists = rows.groupIds.flatMap((ids) => {
    let size = 0;
    for (let i = 0; i < n; i++) size += counted[ids[i]!]!;
    if (size === 0) return [];
    const row = new Uint32Array(new SharedArrayBuffer(size * 4));
    const slot = new Uint32Array(new SharedArrayBuffer(size * 4));
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (counted[ids[i]!] !== 1) continue;
      row[at] = i;
      slot[at++] = ids[i]! * 4 + cell[i]!;
    }
    return [{ row, slot }];
  });
  return countPassFrom({ kind: "count", rows: n, groups, counted, lists });
}

/** What a count pass walks, in `SharedArrayBuffer`s: a worker thread rebuilds it with {@link countPassFrom}. */
export interface CountPassData {
  readonly kind: "count";
  readonly rows: number;
  readonly groups: number;
  /** 1 for the groups counted, 0 for the others (their fields stay `NaN`). */
  readonly counted: Uint8Array;
  /** Per grouping with a counted group: its rows there, and each one's slot `group · 4 + cell` in the sums. */
  readonly lists: readonly { readonly row: Uint32Array; readonly slot: Uint32Array }[];
}

/**
 * The count pass over a {@link CountPassData}'s arrays (the same pass, e.g. in a worker thread).
 *
 * @example
 * const copy = countPassFrom(prepareCountPass(rows, 0.5).data as CountPassData); // runs as the original does
 */
export function countPassFrom(data: CountPassData): RowPass {
  const { groups, counted, lists } = data;
  const sums = new Float64Array(groups * 4);
  const run = (weights: Float64Array | Uint8Array | null, out: Float64Array) => {
    sums.fill(0);
    for (const { row, slot } of lists) {
      if (weights === null) for (let k = 0; k < row.length; k++) sums[slot[k]!]! += 1;
      // No test for a weight of 0: adding 0 leaves a sum as it is, and a branch taken at random
      // (a Poisson weight is 0 37% of the time) costs more than the addition.
      else for (let k = 0; k < row.length; k++) sums[slot[k]!]! += weights[row[k]!]!;
    }
    for (let g = 0; g < groups; g++) {
      const s = g * 4;
      const t = g * BINARY_TALLY_SIZE;
      out.fill(Number.NaN, t, t + BINARY_TALLY_SIZE);
      if (counted[g] === 0) continue;
      out[t + BINARY_TALLY.POS] = sums[s + 1]! + sums[s + 3]!;
      out[t + BINARY_TALLY.NEG] = sums[s]! + sums[s + 2]!;
      out[t + BINARY_TALLY.TP] = sums[s + 3]!;
      out[t + BINARY_TALLY.FP] = sums[s + 2]!;
    }
  };
  return { rows: data.rows, groups, tallySize: BINARY_TALLY_SIZE, run, data };
}

/**
 * A pass rebuilt from its shared arrays, whichever kind it is: what a replicate worker runs.
 *
 * @example
 * rowPassFrom(pass.data!).run(weights, out); // the same tally as pass.run(weights, out)
 */
export function rowPassFrom(data: PassData): RowPass {
  return data.kind === "count" ? countPassFrom(data) : binaryPassFrom(data);
}
