import { fmix32 } from "../bootstrap/row-hash.js";
import { CELL } from "./evaluation-state.js";
import { fixedValue } from "./fixed-sum.js";
import type { GroupCells } from "./group-cells.js";
import { atPosition, rankingInfluence } from "./ranking-influence.js";
import { COARSE_WIDTH, CODE_SPAN, codeEceBin, FINE_BINS, FINE_WIDTH } from "./score-code.js";

/** Per cell and model: what a replicate adds per unit of weight (W) and of spread (δ). */
export const COEF = {
  PRED: 0,
  ECE_BIN: 1,
  P: 2,
  P_SLOPE: 3,
  LOSS: 4,
  LOSS_SLOPE: 5,
  BRIER: 6,
  BRIER_SLOPE: 7,
  AUC: 8,
  AUC_SLOPE: 9,
  AP: 10,
  AP_SLOPE: 11,
  WIDTH: 12,
} as const;

/** One group's cells, prepared for the replicate loop of `cellBootstrap`. */
export interface CellCoefficients {
  count: Float64Array;
  /** Per cell, the hash its draws are keyed by (group, cell key, seed). */
  hash: Uint32Array;
  label: Uint8Array;
  /** Per cell, the Cholesky factor [a₁₁, a₂₁, a₂₂] of m × the within-cell covariance of u. */
  spread: Float64Array;
  /** `COEF.WIDTH` numbers per cell and model, `(k · models + m) · WIDTH`. */
  coef: Float64Array;
  /** Per model, the binned AUC and AP the influences are taken at. */
  anchor: Float64Array;
}

/** u per log-odds unit is 1/8; ranking bins per u unit 8 · 128; half a cell's width in bins. */
const DZ_DU = 8;
const BINS_PER_U = DZ_DU / FINE_WIDTH;
const HALF_CELL = COARSE_WIDTH / FINE_WIDTH / 2;

/**
 * Prepares one group's cells: counts, labels and draw keys; each model's mean p, loss and Brier
 * term with their slopes in u (from the derivatives of the logistic loss and Brier terms at the
 * cell's mean p); AUC and AP influences at the cell's mean position and their slopes across the
 * cell's width (so a sparse group's few rows inside the cell's span still count); and the
 * factor that turns two standard normals into the cell's within-cell spread δ.
 *
 * @example
 * const c = cellCoefficients(cells, hist, 2, groupHash);
 * c.coef[COEF.LOSS]; // mean log-loss term of the candidate in the first cell
 */
export function cellCoefficients(
  cells: GroupCells,
  hist: Float64Array,
  models: number,
  groupHash: number,
): CellCoefficients {
  const size = cells.keys.length;
  const out: CellCoefficients = {
    count: new Float64Array(size),
    hash: new Uint32Array(size),
    label: new Uint8Array(size),
    spread: new Float64Array(3 * size),
    coef: new Float64Array(size * models * COEF.WIDTH),
    anchor: new Float64Array(2 * models),
  };
  const influence = Array.from({ length: models }, (_, m) => rankingInfluence(hist, m * 2 * FINE_BINS));
  influence.forEach((inf, m) => {
    out.anchor[2 * m] = inf.aucValue;
    out.anchor[2 * m + 1] = inf.apValue;
  });
  const d = cells.data;
  for (let k = 0; k < size; k++) {
    const key = cells.keys[k]!;
    const at = k * CELL.WIDTH;
    const n = d[at + CELL.N]!;
    const y = key % 2;
    out.count[k] = n;
    out.label[k] = y;
    out.hash[k] = fmix32((groupHash + Math.imul(key, 0x9e3779b1)) >>> 0);
    const mean = (m: number) => fixedValue(d, at + m * CELL.MODEL + CELL.U) / n;
    const variance = (m: number) =>
      Math.max(0, fixedValue(d, at + m * CELL.MODEL + CELL.UU) / n - mean(m) ** 2);
    for (let m = 0; m < models; m++) {
      const code = m === 0 ? Math.floor(key / 2 / CODE_SPAN) : Math.floor(key / 2) % CODE_SPAN;
      const q = (k * models + m) * COEF.WIDTH;
      const o = at + m * CELL.MODEL;
      const p = fixedValue(d, o + CELL.P) / n;
      const t = mean(m) * BINS_PER_U + 0.5;
      const slope = (values: Float64Array) =>
        ((atPosition(values, y, t + HALF_CELL) - atPosition(values, y, t - HALF_CELL)) * BINS_PER_U) /
        (2 * HALF_CELL);
      const c = out.coef;
      c[q + COEF.PRED] = code & 1;
      c[q + COEF.ECE_BIN] = codeEceBin(code);
      c[q + COEF.P] = p;
      c[q + COEF.P_SLOPE] = p * (1 - p) * DZ_DU;
      c[q + COEF.LOSS] = fixedValue(d, o + CELL.LOSS) / n;
      c[q + COEF.LOSS_SLOPE] = (y === 1 ? p - 1 : p) * DZ_DU;
      c[q + COEF.BRIER] = fixedValue(d, o + CELL.BRIER) / n;
      c[q + COEF.BRIER_SLOPE] = 2 * (p - y) * p * (1 - p) * DZ_DU;
      c[q + COEF.AUC] = atPosition(influence[m]!.auc, y, t);
      c[q + COEF.AUC_SLOPE] = slope(influence[m]!.auc);
      c[q + COEF.AP] = atPosition(influence[m]!.ap, y, t);
      c[q + COEF.AP_SLOPE] = slope(influence[m]!.ap);
    }
    const vc = variance(0);
    const a11 = Math.sqrt(n * vc);
    out.spread[3 * k] = a11;
    if (models < 2) continue;
    const vb = variance(1);
    const cov = fixedValue(d, at + CELL.CROSS) / n - mean(0) * mean(1);
    // Equal moments (identical models) must give an identical δ, not one that differs by rounding.
    if (vb === vc && cov === vc) {
      out.spread[3 * k + 1] = a11;
    } else if (vc > 0) {
      out.spread[3 * k + 1] = (Math.sqrt(n) * cov) / Math.sqrt(vc);
      out.spread[3 * k + 2] = Math.sqrt(n * Math.max(0, vb - (cov * cov) / vc));
    } else {
      out.spread[3 * k + 2] = Math.sqrt(n * vb);
    }
  }
  return out;
}
