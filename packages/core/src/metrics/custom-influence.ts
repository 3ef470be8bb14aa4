import { GAUSSIAN_MIN_COUNT } from "../bootstrap/influence-moments.js";
import type { GroupIds } from "../slicing/group-ids.js";
import type { Confusion } from "./confusion.js";
import type { CustomMetricSpec } from "./custom-metrics.js";
import { evaluateExpression } from "./expression.js";

/** The four confusion cells in the order the moments use: tp, fp, fn, tn. */
const CELLS = ["tp", "fp", "fn", "tn"] as const;

/** A row's confusion cell (0 tp, 1 fp, 2 fn, 3 tn) from its label and prediction. */
const cellOf = (y: number, yhat: number) => (y === 1 ? (yhat === 1 ? 0 : 2) : yhat === 1 ? 1 : 3);

/**
 * The gradient of a `counts` expression in the four confusion counts (with `n` their sum, so
 * `∂/∂tp` includes `∂/∂n`), by central differences of the parsed expression at the counts: the
 * expression language has no symbolic derivative, and a step of 1e-6 of the total (relative error
 * about 1e-10 for the expressions' arithmetic) is far below any interval's precision. NaN where the
 * expression is undefined near the counts.
 *
 * @example
 * countsGradient(spec("tp / (tp + fp)"), { tp: 30, fp: 10, fn: 5, tn: 55 });
 * // Float64Array [0.00625, -0.01875, 0, 0]  (precision: fp/(tp+fp)², −tp/(tp+fp)²)
 */
export function countsGradient(spec: CustomMetricSpec, counts: Confusion): Float64Array {
  const n = counts.tp + counts.fp + counts.fn + counts.tn;
  const h = 1e-6 * Math.max(1, n);
  const at = (c: Confusion) => evaluateExpression(spec.tree, { ...c, n: c.tp + c.fp + c.fn + c.tn });
  return Float64Array.from(CELLS, (cell) => {
    const up = at({ ...counts, [cell]: counts[cell] + h });
    const down = at({ ...counts, [cell]: counts[cell] - h });
    return (up - down) / (2 * h);
  });
}

/** Per group: Σw² of the rows in each confusion cell, per model and jointly for the two models. */
export interface CellSquares {
  /** `single[(m · groups + g) · 4 + c]`: Σw² of model m's rows in cell c of group g. */
  single: Float64Array;
  /** `joint[(g · 4 + a) · 4 + b]`: Σw² of the rows in cell a for the candidate and b for the baseline. */
  joint: Float64Array;
  /** `total[(m · groups + g) · 4 + c]`: Σw of the same rows (for Kish's effective counts). */
  total: Float64Array;
}

/**
 * One pass over the rows: each group's Σw and Σw² per confusion cell per model, and Σw² per pair
 * of cells of the candidate and the baseline (the paired change's variance needs them).
 *
 * @example
 * cellSquares([1, 0], [Float64Array.of(0.9, 0.2)], 0.5, [new Uint32Array(2)], 1);
 * // { single: [1, 0, 0, 1], joint: [1, 0, …, 1], total: [1, 0, 0, 1] }
 */
export function cellSquares(
  labels: ArrayLike<number>,
  scores: readonly ArrayLike<number>[],
  threshold: number,
  groupIds: readonly GroupIds[],
  groups: number,
  weights?: ArrayLike<number>,
): CellSquares {
  const K = scores.length;
  const single = new Float64Array(K * groups * 4);
  const total = new Float64Array(K * groups * 4);
  const joint = new Float64Array(groups * 16);
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i]! : 1;
    if (w === 0) continue;
    const y = labels[i] === 1 ? 1 : 0;
    const c0 = cellOf(y, scores[0]![i]! >= threshold ? 1 : 0);
    const c1 = K > 1 ? cellOf(y, scores[1]![i]! >= threshold ? 1 : 0) : 0;
    for (const ids of groupIds) {
      const g = ids[i]!;
      single[g * 4 + c0]! += w * w;
      total[g * 4 + c0]! += w;
      if (K > 1) {
        single[(groups + g) * 4 + c1]! += w * w;
        total[(groups + g) * 4 + c1]! += w;
        joint[(g * 4 + c0) * 4 + c1]! += w * w;
      }
    }
  }
  return { single, joint, total };
}

/**
 * The first-order (delta-method) standard errors of a `counts` metric in group g: row i moves the
 * metric by ψᵢ = wᵢ ∂f/∂c(i) (c(i) its cell, the gradient from {@link countsGradient}), so the
 * Poisson bootstrap's variance is Σ_c (∂f/∂c)² Σ_{i∈c} wᵢ², and the paired change's is
 * Σ_{a,b} (∂fᶜ/∂a − ∂fᵇ/∂b)² Σ_{i∈(a,b)} wᵢ². `gaussian` is false — the caller bootstraps — unless
 * the rows of the cells the expression depends on (non-zero gradient) number at least
 * `GAUSSIAN_MIN_COUNT` effective rows (Kish's (Σw)²/Σw², the row count without weights) for every
 * model: the rows it averages over, as for the built-in metrics (`intervalRoutes`: precision
 * needs the predicted positives, tp + fp; `tp / (tp + fp + fn)` needs tp + fp + fn).
 *
 * @example
 * countsStandardErrors([gradC, gradB], squares, 0, 1);
 * // { gaussian: true, se: [0.0041, 0.0043], deltaSe: 0.0021 }
 */
export function countsStandardErrors(
  gradients: readonly Float64Array[],
  squares: CellSquares,
  g: number,
  groups: number,
): { gaussian: boolean; se: number[]; deltaSe: number | null } {
  let gaussian = true;
  const se = gradients.map((grad, m) => {
    let variance = 0;
    let total = 0;
    let totalSquares = 0;
    for (let c = 0; c < 4; c++) {
      const d = grad[c]!;
      if (!Number.isFinite(d)) gaussian = false;
      if (d === 0) continue;
      const s2 = squares.single[(m * groups + g) * 4 + c]!;
      total += squares.total[(m * groups + g) * 4 + c]!;
      totalSquares += s2;
      variance += d * d * s2;
    }
    if (!(totalSquares > 0) || (total * total) / totalSquares < GAUSSIAN_MIN_COUNT) gaussian = false;
    return Math.sqrt(variance);
  });
  let deltaSe: number | null = null;
  if (gradients.length > 1) {
    let variance = 0;
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        const d = gradients[0]![a]! - gradients[1]![b]!;
        variance += d * d * squares.joint[(g * 4 + a) * 4 + b]!;
      }
    deltaSe = Math.sqrt(variance);
  }
  return { gaussian, se, deltaSe };
}

/** Per group, what {@link rowsMoments} gives for one `rows` metric. */
export interface RowsMoments {
  /** `squares[m · groups + g]`: Σψᵢ² of model m in group g. */
  squares: Float64Array;
  /** `deltaSquares[g]`: Σ(ψᶜᵢ − ψᵇᵢ)² (0 with one model). */
  deltaSquares: Float64Array;
  /** Kish's effective rows (Σw)²/Σw² per group. */
  effective: Float64Array;
}

/**
 * The first-order moments of a `rows` metric (a weighted mean m = Σwv/Σw of per-row values) in
 * every group, in one pass: ψᵢ = wᵢ (vᵢ − m)/Σw, the variance Σψ², and for the paired change
 * Σ(ψᶜᵢ − ψᵇᵢ)². `means[m][g]` and `totals[g]` (Σw) are the point tallies' values.
 *
 * @example
 * rowsMoments([Float64Array.of(0.1, 0.4, 0.2)], [new Uint32Array(3)], 1, [[0.2333]], Float64Array.of(3));
 * // { squares: [0.00778], deltaSquares: [0], effective: [3] }  (se = √0.00778 = 0.0882)
 */
export function rowsMoments(
  values: readonly Float64Array[],
  groupIds: readonly GroupIds[],
  groups: number,
  means: readonly (readonly number[])[],
  totals: ArrayLike<number>,
  weights?: ArrayLike<number>,
): RowsMoments {
  const K = values.length;
  const squares = new Float64Array(K * groups);
  const deltaSquares = new Float64Array(groups);
  const sumW = new Float64Array(groups);
  const sumW2 = new Float64Array(groups);
  const rows = values[0]!.length;
  for (let i = 0; i < rows; i++) {
    const w = weights ? weights[i]! : 1;
    if (w === 0) continue;
    for (const ids of groupIds) {
      const g = ids[i]!;
      sumW[g]! += w;
      sumW2[g]! += w * w;
      const c = (w * (values[0]![i]! - means[0]![g]!)) / totals[g]!;
      squares[g]! += c * c;
      if (K > 1) {
        const b = (w * (values[1]![i]! - means[1]![g]!)) / totals[g]!;
        squares[groups + g]! += b * b;
        deltaSquares[g]! += (c - b) * (c - b);
      }
    }
  }
  const effective = Float64Array.from(sumW, (s, g) => (sumW2[g]! > 0 ? (s * s) / sumW2[g]! : 0));
  return { squares, deltaSquares, effective };
}
