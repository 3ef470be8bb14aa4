import { groupIdArray } from "../slicing/group-ids.js";
import { descendingOrder } from "../stats/descending-order.js";
import { type BinaryPass, binaryPassFrom, type PassRows } from "./binary-pass.js";
import type { OperatingSpec } from "./operating-point.js";

/**
 * Prepares the binary pass: rows sorted by descending score once (ties by row index, so two
 * models with equal scores see identical orders and identical sums). A run walks that order a
 * single time and, for every group a row is in, keeps running weighted positive/negative totals.
 * Everything follows from them: ROC AUC adds, per tie group, negatives × (positives above + ½ tied
 * positives) — the trapezoid rule of `roc_auc_score`; average precision adds tied positives ×
 * precision at that score — the step sum of `average_precision_score`; the confusion counts at the
 * threshold and the ECE bin sums are snapshots of the totals where the sorted scores cross the
 * threshold and the bin edges, which are contiguous positions of the order.
 *
 * @example
 * const pass = prepareBinaryPass({ labels: [0, 1], scores: [0.2, 0.9], groupIds: [new Uint32Array(2)], groups: 1 }, 0.5);
 * const out = new Float64Array(pass.tallySize);
 * pass.run(null, out);
 * out[BINARY_TALLY.AUC] / (out[BINARY_TALLY.POS] * out[BINARY_TALLY.NEG]); // 1
 */
export function prepareBinaryPass(rows: PassRows, threshold: number, operating?: OperatingSpec): BinaryPass {
  const n = rows.labels.length;
  const order = scoreOrder(rows.scores);
  const s = rows.scores;

  const stride = rows.groupIds.length;
  const label = sharedArray(Uint8Array, n);
  const p = sharedArray(Float64Array, n);
  // tied[k] = 1 when row k shares its score with a neighbour in the order (is part of a tie).
  const tied = sharedArray(Uint8Array, n);
  const group = groupIdArray(n * stride, rows.groups, true);
  const weight = rows.weights ? sharedArray(Float64Array, n) : undefined;
  // The gathers first, in a loop of loads only (the reads by row index miss the cache), then the
  // ties from the gathered scores in order. Per-row losses are built when a run needs them (`rowLosses`).
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (weight) weight[k] = rows.weights![i]!;
    label[k] = rows.labels[i] === 1 ? 1 : 0;
    p[k] = s[i]!;
  }
  for (let k = 1; k < n; k++) if (p[k] === p[k - 1]) tied[k] = tied[k - 1] = 1;
  // Grouping by grouping: each gather reads one row → group array (a byte a row), which stays in
  // cache, where reading every grouping's entry of row i at once misses the cache once per grouping.
  for (let g = 0; g < stride; g++) {
    const ids = rows.groupIds[g]!;
    for (let k = 0; k < n; k++) group[k * stride + g] = ids[order[k]!]!;
  }
  return binaryPassFrom({
    kind: "binary",
    threshold,
    groups: rows.groups,
    stride,
    order,
    label,
    p,
    tied,
    group,
    ...(operating ? { operating } : {}),
    ...(weight ? { weight } : {}),
  });
}

/**
 * Row indices by descending score, ties by row index (`descendingOrder`), in shared memory. Its own
 * function, so that the sort's scratch arrays are not kept alive by the pass's closures.
 */
function scoreOrder(scores: ArrayLike<number>): Uint32Array {
  return descendingOrder(scores, sharedArray(Uint32Array, scores.length));
}

/** A zeroed typed array in a `SharedArrayBuffer`. */
function sharedArray<T>(
  Type: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT));
}
