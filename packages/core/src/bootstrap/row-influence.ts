import { FLOAT64_EPS } from "../metrics/binary-pass.js";
import { ECE_BINS } from "../metrics/ece-bin.js";
import type { GroupIds } from "../slicing/group-ids.js";
import { SLOT, SLOTS } from "./influence-slots.js";

/** The rows and metrics {@link rowMoments} reads, the same for every chunk of groupings. */
export interface RowInfluenceRows {
  labels: ArrayLike<number>;
  /** Per model, by input row. */
  scores: readonly ArrayLike<number>[];
  weights: ArrayLike<number> | undefined;
  threshold: number;
  costs: { tp: number; fp: number; fn: number; tn: number };
  /** Each grouping's group by input row. */
  rowGroups: readonly GroupIds[];
  /** Per model and row (`m · rows + i`), the row's ECE bin. */
  bin: Uint8Array;
  groups: number;
  /** Each metric's slot (see `SLOT`), in the order of the moments' metrics. */
  slot: readonly number[];
  /** Where ROC AUC and average precision are among the metrics (−1 when absent): `rank` holds their φ. */
  iAuc: number;
  iAp: number;
}

/** Per group (per model and group where it depends on the model) what each φ divides by or reads. */
export interface GroupSums {
  count: Float64Array;
  positives: Float64Array;
  /** `predicted[m · groups + g]`. */
  predicted: Float64Array;
  /** `gaps[(m · groups + g) · ECE_BINS + b]`. */
  gaps: Float64Array;
  /** The variance of each gap, Σ (wᵢ (yᵢ − pᵢ))² (for ECE's bias), in the layout of `gaps`. */
  gapVariance: Float64Array;
  wanted: Uint8Array;
}

/**
 * Adds each row's influence on the metrics other than AUC and AP (see `influenceMoments` for every
 * φ) to the variances of its groups in the groupings `chunk`, and the paired changes' products
 * (AUC's and AP's taken from `rank`, `rankWalk`'s layout for the same chunk) to their covariance.
 * Rows in input order, so each group's sums see its rows in the same order whichever groupings
 * share a chunk; what depends on the row alone (its loss, Brier term, decision and cost) is
 * computed once per row and model, not once per grouping, and what depends on the group alone
 * (its metric values, ECE gap signs, a count metric's φ in each cell) once per group.
 *
 * Every sum is the one of the plain loop (ψ = w·φ, 0 where not finite, ψ² into each variance, the
 * products of the changes δ = ψᶜ − ψᵇ into the covariance, row after row), term for term: a
 * product with a δ of exactly 0 is skipped, which leaves a sum started at +0 unchanged (it never
 * becomes −0), unless the other δ is not finite (∞ · 0 is NaN): then every product is added.
 *
 * @example
 * rowMoments(rows, [0, 1], sums, values, rank, variance, covariance); // variance[(g · K + m) · M + mi] += ψ²
 */
export function rowMoments(
  rows: RowInfluenceRows,
  chunk: readonly number[],
  sums: GroupSums,
  values: readonly Float64Array[],
  rank: Float64Array,
  variance: Float64Array,
  covariance: Float64Array,
): void {
  const { labels, scores, weights, threshold, rowGroups, bin, groups, slot, iAuc, iAp } = rows;
  const { count, wanted } = sums;
  const n = labels.length;
  const K = scores.length;
  const M = slot.length;
  const C = chunk.length;
  const paired = K > 1;
  const ids = chunk.map((j) => rowGroups[j]!);
  const { iLoss, iBrier, iEce, countMi, cells, mean, gapSign } = groupTerms(rows, sums, values);
  const finiteCells = cells.map((phi) => (Number.isFinite(phi) ? phi : 0));
  const E = countMi.length;
  // Each group's covariance, its upper triangle packed (`g · T + u`, pairs p ≤ q of places in
  // row-major order): from `covariance` and back to it for the groups this chunk touches. A
  // metric's place: those whose φ is 0 in some cells (recall, precision, F1, FPR) first, so that a
  // row's changes of exactly 0 skip whole rows of the triangle and seldom meet a later column.
  const order = packedOrder(slot);
  const place = new Int32Array(M);
  order.forEach((mi, p) => {
    place[mi] = p;
  });
  const entry = (g: number, p: number, q: number) =>
    g * M * M + Math.min(order[p]!, order[q]!) * M + Math.max(order[p]!, order[q]!);
  const pLoss = iLoss >= 0 ? place[iLoss]! : -1;
  const pBrier = iBrier >= 0 ? place[iBrier]! : -1;
  const pEce = iEce >= 0 ? place[iEce]! : -1;
  const pAuc = iAuc >= 0 ? place[iAuc]! : -1;
  const pAp = iAp >= 0 ? place[iAp]! : -1;
  const countPlace = countMi.map((mi) => place[mi]!);
  const T = (M * (M + 1)) / 2;
  // Each pair a ≤ b of metrics' index in a group's packed triangle.
  const pairAt = new Int32Array(M * M);
  forPairs(M, (p, q, u) => {
    pairAt[Math.min(order[p]!, order[q]!) * M + Math.max(order[p]!, order[q]!)] = u;
  });
  const packed = new Float64Array(paired ? groups * T : 0);
  const touched = new Uint8Array(groups);
  if (paired)
    forPairs(M, (a, b, u) => {
      for (let g = 0; g < groups; g++) packed[g * T + u] = covariance[entry(g, a, b)]!;
    });
  // This row's group in each grouping of the chunk, and the paired changes δ of its metrics (by place).
  const at = new Int32Array(C);
  const delta = new Float64Array(M);
  // Per model, what depends on the row alone.
  const decided = new Int32Array(K);
  const loss = new Float64Array(K);
  const squared = new Float64Array(K);
  const residual = new Float64Array(K);
  const inBin = new Int32Array(K);
  for (let i = 0; i < n; i++) {
    let counted = false;
    for (let c = 0; c < C; c++) {
      const g = ids[c]![i]!;
      at[c] = g;
      if (wanted[g] === 1) counted = true;
    }
    if (!counted) continue;
    const y = labels[i] === 1 ? 1 : 0;
    const w = weights ? weights[i]! : 1;
    for (let m = 0; m < K; m++) {
      const pm = scores[m]![i]!;
      const q = Math.min(Math.max(y === 1 ? pm : 1 - pm, FLOAT64_EPS), 1 - FLOAT64_EPS);
      decided[m] = pm >= threshold ? 1 : 0;
      loss[m] = -Math.log(q);
      squared[m] = (y - pm) * (y - pm);
      residual[m] = y - pm;
      inBin[m] = bin[m * n + i]!;
    }
    for (let c = 0; c < C; c++) {
      const g = at[c]!;
      if (wanted[g] === 0) continue;
      const total = count[g]!;
      // ψ into each variance, and δ = ψ of the first model minus each other's, in turn.
      for (let m = 0; m < K; m++) {
        const a = (g * K + m) * M;
        const gm = (g * K + m) * 3;
        const first = m === 0;
        let x = 0;
        if (iLoss >= 0) {
          x = w * ((loss[m]! - mean[gm]!) / total);
          if (!Number.isFinite(x)) x = 0;
          variance[a + iLoss]! += x * x;
          delta[pLoss] = first ? x : delta[pLoss]! - x;
        }
        if (iBrier >= 0) {
          x = w * ((squared[m]! - mean[gm + 1]!) / total);
          if (!Number.isFinite(x)) x = 0;
          variance[a + iBrier]! += x * x;
          delta[pBrier] = first ? x : delta[pBrier]! - x;
        }
        const cell = (((g * K + m) * 2 + y) * 2 + decided[m]!) * E;
        // Without sample weights (w = 1, and 1 · φ = φ) ψ is the cell's, already 0 where not finite.
        if (weights)
          for (let e = 0; e < E; e++) {
            const mi = countMi[e]!;
            x = w * cells[cell + e]!;
            if (!Number.isFinite(x)) x = 0;
            variance[a + mi]! += x * x;
            delta[countPlace[e]!] = first ? x : delta[countPlace[e]!]! - x;
          }
        else
          for (let e = 0; e < E; e++) {
            const mi = countMi[e]!;
            x = finiteCells[cell + e]!;
            variance[a + mi]! += x * x;
            delta[countPlace[e]!] = first ? x : delta[countPlace[e]!]! - x;
          }
        if (iEce >= 0) {
          const sign = gapSign[(m * groups + g) * ECE_BINS + inBin[m]!]!;
          x = w * ((sign * residual[m]! - mean[gm + 2]!) / total);
          if (!Number.isFinite(x)) x = 0;
          variance[a + iEce]! += x * x;
          delta[pEce] = first ? x : delta[pEce]! - x;
        }
      }
      if (!paired) continue;
      if (pAuc >= 0) delta[pAuc] = rank[(i * C + c) * 2]!;
      if (pAp >= 0) delta[pAp] = rank[(i * C + c) * 2 + 1]!;
      touched[g] = 1;
      let finite = true;
      for (let p = 0; p < M; p++) if (!Number.isFinite(delta[p]!)) finite = false;
      if (finite) {
        let u = g * T;
        for (let p = 0; p < M; p++) {
          const dp = delta[p]!;
          if (dp === 0) {
            u += M - p;
            continue;
          }
          for (let q = p; q < M; q++) packed[u++]! += dp * delta[q]!;
        }
      }
      // An infinite change (an overflow): the products in the metrics' own order, those of a
      // zero change too where the plain loop makes them (∞ · 0 is NaN).
      else
        for (let a = 0; a < M; a++) {
          const da = delta[place[a]!]!;
          if (da === 0) continue;
          for (let b = a; b < M; b++) packed[g * T + pairAt[a * M + b]!]! += da * delta[place[b]!]!;
        }
    }
  }
  if (paired)
    forPairs(M, (a, b, u) => {
      for (let g = 0; g < groups; g++) if (touched[g] === 1) covariance[entry(g, a, b)] = packed[g * T + u]!;
    });
}

/** Metric indices (of `slot`) in their packed order: those whose φ is 0 in some cells first. */
function packedOrder(slot: readonly number[]): number[] {
  const sparse = (s: number) =>
    s === SLOT.recall || s === SLOT.precision || s === SLOT.f1 || s === SLOT.fpr ? 0 : 1;
  return slot.map((_, mi) => mi).sort((a, b) => sparse(slot[a]!) - sparse(slot[b]!) || a - b);
}

/** Calls `visit(a, b, u)` for each pair a ≤ b of `M` metrics, `u` counting them in row-major order. */
function forPairs(M: number, visit: (a: number, b: number, u: number) => void): void {
  let u = 0;
  for (let a = 0; a < M; a++) for (let b = a; b < M; b++) visit(a, b, u++);
}

/** What {@link groupTerms} computes once per group and model for `rowMoments`. */
interface GroupTerms {
  /** Each metric's index among the moments' metrics (−1 when absent; AUC and AP aside). */
  iLoss: number;
  iBrier: number;
  iEce: number;
  /** The count metrics' indices among the moments' metrics. */
  countMi: Int32Array;
  /** φ of count metric e in `(((g · K + m) · 2 + y) · 2 + ŷ) · E + e`. */
  cells: Float64Array;
  /** Log loss, Brier and ECE of each group and model, at `(g · K + m) · 3`. */
  mean: Float64Array;
  /** `Math.sign` of each model's ECE bin gaps, in the layout of `gaps`. */
  gapSign: Float64Array;
}

/**
 * What φ of each metric reads that depends on the group and model alone: the metric's value, the
 * signs of the ECE gaps, and for a count metric its whole φ in each cell `(y, ŷ)` (it depends on the
 * row through those alone) — the same expressions on the same numbers as per row, so the same φ.
 */
function groupTerms(rows: RowInfluenceRows, sums: GroupSums, values: readonly Float64Array[]): GroupTerms {
  const { scores, costs, groups, slot, iAuc, iAp } = rows;
  const { count, positives, predicted, gaps, wanted } = sums;
  const K = scores.length;
  const at = (name: keyof typeof SLOT) => {
    const mi = slot.indexOf(SLOT[name]);
    return mi === iAuc || mi === iAp ? -1 : mi;
  };
  const countMetrics = (
    ["accuracy", "recall", "precision", "f1", "fpr", "selection_rate", "value"] as const
  ).flatMap((name) => (at(name) >= 0 ? [[at(name), SLOT[name]] as const] : []));
  const E = countMetrics.length;
  const cells = new Float64Array(groups * K * 4 * E);
  const mean = new Float64Array(groups * K * 3);
  const outcome = [
    [costs.tn, costs.fp],
    [costs.fn, costs.tp],
  ];
  for (let g = 0; g < groups; g++) {
    if (wanted[g] === 0) continue;
    for (let m = 0; m < K; m++) {
      const v = values[m]!;
      const gm = g * K + m;
      mean[gm * 3] = v[g * SLOTS + SLOT.log_loss]!;
      mean[gm * 3 + 1] = v[g * SLOTS + SLOT.brier]!;
      mean[gm * 3 + 2] = v[g * SLOTS + SLOT.ece]!;
      for (let cell = 0; cell < 4; cell++)
        countMetrics.forEach(([, s], e) => {
          cells[(gm * 4 + cell) * E + e] = countPhi(s, cell >> 1, cell & 1, {
            value: v[g * SLOTS + s]!,
            total: count[g]!,
            P: positives[g]!,
            PP: predicted[m * groups + g]!,
            outcome,
          });
        });
    }
  }
  return {
    iLoss: at("log_loss"),
    iBrier: at("brier"),
    iEce: at("ece"),
    countMi: Int32Array.from(countMetrics, ([mi]) => mi),
    cells,
    mean,
    gapSign: Float64Array.from(gaps, Math.sign),
  };
}

/**
 * φ of a count metric (see `influenceMoments`) for a row of label `y` and decision `decided` in a
 * group: `value` the group's metric, `total` its rows, `P` its positives, `PP` the model's
 * predicted positives, `outcome[y][decided]` the cost of each outcome (for `value`).
 */
function countPhi(
  s: number,
  y: number,
  decided: number,
  at: { value: number; total: number; P: number; PP: number; outcome: number[][] },
): number {
  const { value: v, total, P, PP } = at;
  switch (s) {
    case SLOT.accuracy:
      return ((decided === y ? 1 : 0) - v) / total;
    case SLOT.recall:
      return y === 1 ? (decided - v) / P : 0;
    case SLOT.precision:
      return decided === 1 ? (y - v) / PP : 0;
    case SLOT.f1:
      return (2 * y * decided - v * (y + decided)) / (P + PP);
    case SLOT.fpr:
      return y === 0 ? (decided - v) / (total - P) : 0;
    case SLOT.selection_rate:
      return (decided - v) / total;
    default:
      return (at.outcome[y]![decided]! - v) / total;
  }
}
