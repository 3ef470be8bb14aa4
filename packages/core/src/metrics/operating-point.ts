import { BINARY_TALLY, BINARY_TALLY_SIZE, type BinaryPassData } from "./binary-pass.js";

/**
 * What the operating-point metrics of a binary model are held to (the manifest's
 * `evaluation.costs` and `evaluation.operating-point`). Plain numbers, so a worker thread gets
 * them with the rest of a pass's data.
 */
export interface OperatingSpec {
  /** Value of each outcome per decision (`evaluation.costs`): the `value` metrics need them. */
  costs?: { tp: number; fp: number; fn: number; tn: number };
  /** `recall_at_precision`: the least precision the operating point must reach. */
  minPrecision?: number;
  /** `fpr_at_tpr`: the true-positive rate (recall) the operating point must reach. */
  targetTpr?: number;
  /** `precision_at_k`: how many top-scored rows are flagged (total weight, in a weighted run). */
  k?: number;
}

/**
 * Offsets of the operating-point values after a group's binary tally (`BINARY_TALLY_SIZE + OP.X`);
 * each is the metric's value, `NaN` where it is undefined or its parameter was not given.
 */
export const OP = {
  VALUE: 0,
  VALUE_MAX: 1,
  THRESHOLD_VALUE: 2,
  F1_MAX: 3,
  THRESHOLD_F1: 4,
  RECALL_AT_PRECISION: 5,
  PRECISION_AT_K: 6,
  FPR_AT_TPR: 7,
} as const;
/** Numbers per group that the operating-point walk adds to a binary tally. */
export const OPERATING_SIZE = 8;

/**
 * Fills the operating-point values of every group, after the binary pass's own walk has written
 * the group totals (`BINARY_TALLY.POS`, `BINARY_TALLY.NEG`, `BINARY_TALLY.TP`, `BINARY_TALLY.FP`) into `out`. One more walk down the
 * rows in descending score order: the cut points are the distinct scores (a tie is one point, as
 * in scikit-learn's curves), and "predict nothing positive" comes first.
 *
 * - `value`: `(tp·c_tp + fp·c_fp + fn·c_fn + tn·c_tn) / n` at the manifest's threshold.
 * - `value_max`, `threshold_value`: the best expected value per decision over every cut, and the
 *   lowest score predicted positive there (`NaN` when predicting nothing is best); the highest such
 *   cut wins a tie. Chosen on the same rows it is measured on, so optimistic.
 * - `f1_max`, `threshold_f1`: the same for F1 (0 without positives, scikit-learn's zero_division).
 * - `recall_at_precision`: the largest recall among cuts whose precision is at least `minPrecision`
 *   (0 when none is: the curve's recall-0 end has precision 1), as read off `precision_recall_curve`.
 * - `fpr_at_tpr`: the false-positive rate of the first cut whose recall reaches `targetTpr`, the
 *   smallest such rate on `roc_curve`.
 * - `precision_at_k`: the share of positives among the `k` highest-scored rows (weights count as
 *   row counts); a tie that straddles the k-th row counts pro rata, so the row order inside a tie
 *   does not matter. `NaN` when the rows weigh less than k.
 *
 * @example
 * const out = new Float64Array(BINARY_TALLY_SIZE + OPERATING_SIZE); // after the pass has run
 * operatingWalk(pass.data!, { minPrecision: 0.6 }, null, out, BINARY_TALLY_SIZE + OPERATING_SIZE);
 * out[BINARY_TALLY_SIZE + OP.RECALL_AT_PRECISION]; // 1 on the twelve test rows of metrics.test.ts
 */
export function operatingWalk(
  data: BinaryPassData,
  spec: OperatingSpec,
  weights: Float64Array | Uint8Array | null,
  out: Float64Array,
  tallySize: number,
): void {
  const { order, label, p, group, stride, groups } = data;
  const n = order.length;
  const cumW = new Float64Array(groups);
  const cumPos = new Float64Array(groups);
  const pendW = new Float64Array(groups);
  const pendPos = new Float64Array(groups);
  const bestValue = new Float64Array(groups);
  const valueThreshold = new Float64Array(groups).fill(Number.NaN);
  const bestF1 = new Float64Array(groups);
  const f1Threshold = new Float64Array(groups).fill(Number.NaN);
  const bestRecallTp = new Float64Array(groups);
  const fprAt = new Float64Array(groups).fill(Number.NaN);
  const atK = new Float64Array(groups).fill(Number.NaN);
  const stamp = new Int32Array(groups).fill(-1);
  const touched = new Int32Array(groups);
  const costs = spec.costs;
  const a = costs ? costs.tp - costs.fn : 0;
  const b = costs ? costs.fp - costs.tn : 0;
  const minPrecision = spec.minPrecision;
  const target = spec.targetTpr;
  const k = spec.k;
  const P = (g: number) => out[g * tallySize + BINARY_TALLY.POS]!;
  const N = (g: number) => out[g * tallySize + BINARY_TALLY.NEG]!;
  // The "predict nothing" cut: recall 0 already reaches a target of 0.
  if (target !== undefined && target <= 0) fprAt.fill(0);

  let from = 0;
  let tie = 0;
  while (from < n) {
    let to = from + 1;
    while (to < n && p[to] === p[from]) to++;
    let count = 0;
    for (let r = from; r < to; r++) {
      const w = weights === null ? 1 : weights[order[r]!]!;
      if (w === 0) continue;
      const y = label[r]!;
      for (let j = 0; j < stride; j++) {
        const g = group[r * stride + j]!;
        if (stamp[g] !== tie) {
          stamp[g] = tie;
          touched[count++] = g;
        }
        pendW[g]! += w;
        pendPos[g]! += w * y;
      }
    }
    const score = p[from]!;
    for (let i = 0; i < count; i++) {
      const g = touched[i]!;
      const before = cumW[g]!;
      const after = before + pendW[g]!;
      if (k !== undefined && before < k && after >= k) {
        atK[g] = (cumPos[g]! + ((k - before) / pendW[g]!) * pendPos[g]!) / k;
      }
      cumW[g] = after;
      cumPos[g]! += pendPos[g]!;
      pendW[g] = 0;
      pendPos[g] = 0;
      const tp = cumPos[g]!;
      const fp = after - tp;
      if (costs) {
        const v = a * tp + b * fp;
        if (v > bestValue[g]!) {
          bestValue[g] = v;
          valueThreshold[g] = score;
        }
      }
      const f1 = (2 * tp) / (tp + fp + P(g));
      if (f1 > bestF1[g]!) {
        bestF1[g] = f1;
        f1Threshold[g] = score;
      }
      if (minPrecision !== undefined && tp / (tp + fp) >= minPrecision && tp > bestRecallTp[g]!) {
        bestRecallTp[g] = tp;
      }
      if (target !== undefined && Number.isNaN(fprAt[g]!) && P(g) > 0 && tp / P(g) >= target) {
        fprAt[g] = fp / N(g);
      }
    }
    from = to;
    tie++;
  }
  for (let g = 0; g < groups; g++) {
    const t = g * tallySize;
    const o = t + BINARY_TALLY_SIZE;
    const pos = out[t + BINARY_TALLY.POS]!;
    const neg = out[t + BINARY_TALLY.NEG]!;
    const total = pos + neg;
    const tp = out[t + BINARY_TALLY.TP]!;
    const fp = out[t + BINARY_TALLY.FP]!;
    const none = costs ? pos * costs.fn + neg * costs.tn : 0;
    out[o + OP.VALUE] =
      costs && total > 0
        ? (tp * costs.tp + fp * costs.fp + (pos - tp) * costs.fn + (neg - fp) * costs.tn) / total
        : Number.NaN;
    out[o + OP.VALUE_MAX] = costs && total > 0 ? (bestValue[g]! + none) / total : Number.NaN;
    out[o + OP.THRESHOLD_VALUE] = costs && total > 0 ? valueThreshold[g]! : Number.NaN;
    out[o + OP.F1_MAX] = total > 0 ? bestF1[g]! : Number.NaN;
    out[o + OP.THRESHOLD_F1] = pos > 0 ? f1Threshold[g]! : Number.NaN;
    out[o + OP.RECALL_AT_PRECISION] =
      minPrecision !== undefined && pos > 0 ? bestRecallTp[g]! / pos : Number.NaN;
    out[o + OP.PRECISION_AT_K] = k !== undefined ? atK[g]! : Number.NaN;
    out[o + OP.FPR_AT_TPR] = target !== undefined && pos > 0 && neg > 0 ? fprAt[g]! : Number.NaN;
  }
}
