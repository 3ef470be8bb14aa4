import { EXACT_POISSON_MAX, poissonCount, standardNormal } from "../bootstrap/poisson-count.js";
import { replicateKey, seedKey } from "../bootstrap/poisson-weight.js";
import { fmix32, rowIdHash } from "../bootstrap/row-hash.js";
import type { MetricName } from "../manifest/metric-names.js";
import { BINARY_TALLY_SIZE, BT } from "../metrics/binary-pass.js";
import { ECE_BINS } from "../metrics/ece-bin.js";
import { METRICS } from "../metrics/registry.js";
import { type CellCoefficients, COEF, cellCoefficients } from "./cell-coefficients.js";
import type { GroupCells } from "./group-cells.js";

/** Inputs of {@link cellBootstrap}. */
export interface CellBootstrapInput {
  /** Cells of each group that gets intervals. */
  groups: readonly GroupCells[];
  /** Per group, the text its cell weights are keyed by (the same in every run). */
  identities: readonly string[];
  /** Per group, its ranking histograms (see `groupHistograms`). */
  histogram(gi: number): Float64Array;
  models: number;
  metrics: readonly MetricName[];
  seed: number;
  replicates: number;
}

// Accumulator slots per group and model: the binary tally, then the ECE bins' Σw·y and Σw·p.
const ECE_Y = BINARY_TALLY_SIZE;
const ECE_P = ECE_Y + ECE_BINS;
const SLOTS = ECE_P + ECE_BINS;

/**
 * Paired Poisson bootstrap on cells. In replicate r a cell of m rows gets the total weight
 * W = `poissonCount(m, hash(group, cell, seed, r))` — what m rows with independent Poisson(1)
 * weights add up to — so a replicate costs one draw per cell, not one per row, and the same
 * weight moves both models (the delta is paired). Counts, confusion and ECE bins are exact per
 * cell. What varies inside a cell — the rows' log-odds — enters through δ = Σ(wᵢ − 1)(uᵢ − ū),
 * drawn per cell as a bivariate normal (candidate, baseline) with the cell's exact within-cell
 * covariance: loss, Brier and p sums move by their slope × δ, and AUC and AP move by their
 * influence functions (`rankingInfluence`) at the cell's mean position, (W − m)·ψ + ψ′·δ. That
 * is the per-row Poisson bootstrap to first order in the within-cell spread, and for AUC/AP to
 * first order in the weights (their quadratic term is O(1/n) against the O(1/√n) spread).
 * Output indexed as `bootstrapMetrics`; `NaN` where a replicate leaves a metric undefined.
 *
 * @example
 * const [candidate] = cellBootstrap({ groups: [cells], identities: [""], histogram: () => hist,
 *   models: 1, metrics: ["roc_auc"], seed: 7, replicates: 1000 });
 * percentileInterval(candidate, 0.95); // { ci: [0.79, 0.81] } for example
 */
export function cellBootstrap(input: CellBootstrapInput): Float64Array[] {
  const { groups, models, metrics, replicates } = input;
  const seedMix = seedKey(input.seed);
  const coefficients: CellCoefficients[] = groups.map((cells, gi) =>
    cellCoefficients(
      cells,
      input.histogram(gi),
      models,
      fmix32((rowIdHash(input.identities[gi]!) ^ seedMix) >>> 0),
    ),
  );
  const readers = metrics.map((name) => METRICS[name]);
  const acc = new Float64Array(models * SLOTS);
  const tally = new Float64Array(BINARY_TALLY_SIZE);
  const out = Array.from(
    { length: models },
    () => new Float64Array(replicates * groups.length * metrics.length),
  );
  // Per cell, √m for the large-count Poisson draw (what `poissonCount` computes each time).
  const roots = coefficients.map((c) => c.count.map((n) => Math.sqrt(n)));
  for (let r = 0; r < replicates; r++) {
    const rk = replicateKey(input.seed, r);
    const rk1 = fmix32((rk ^ 0x68e31da4) >>> 0);
    const rk2 = fmix32((rk ^ 0xb5297a4d) >>> 0);
    for (let gi = 0; gi < groups.length; gi++) {
      const c = coefficients[gi]!;
      acc.fill(0);
      if (models === 2) replicateCells2(c, roots[gi]!, rk, rk1, rk2, acc);
      else replicateCells(c, roots[gi]!, models, rk, rk1, rk2, acc);
      for (let m = 0; m < models; m++) {
        const a = m * SLOTS;
        for (let i = 0; i < BINARY_TALLY_SIZE; i++) tally[i] = acc[a + i]!;
        const pos = tally[BT.POS]!;
        tally[BT.AUC] = (c.anchor[2 * m]! + acc[a + BT.AUC]!) * pos * tally[BT.NEG]!;
        tally[BT.AP] = (c.anchor[2 * m + 1]! + acc[a + BT.AP]!) * pos;
        let gap = 0;
        for (let e = 0; e < ECE_BINS; e++) gap += Math.abs(acc[a + ECE_Y + e]! - acc[a + ECE_P + e]!);
        tally[BT.ECE] = gap;
        const at = (r * groups.length + gi) * metrics.length;
        for (let mi = 0; mi < readers.length; mi++)
          out[m]![at + mi] = readers[mi]!.fromTally("binary", tally, 0, 2).value ?? Number.NaN;
      }
    }
  }
  return out;
}

/** A cell's total weight W in a replicate: `poissonCount(n, u)` with √n given. */
function cellWeight(n: number, root: number, u: number): number {
  if (n <= EXACT_POISSON_MAX) return poissonCount(n, u);
  const z = standardNormal(u);
  const w = n + root * z + (z * z - 1) / 6;
  return w > 0 ? w : 0;
}

/** One replicate of one group's cells into `acc`, any number of models. */
function replicateCells(
  c: CellCoefficients,
  roots: Float64Array,
  models: number,
  rk: number,
  rk1: number,
  rk2: number,
  acc: Float64Array,
): void {
  const width = COEF.WIDTH;
  const f = c.coef;
  for (let k = 0; k < c.count.length; k++) {
    const n = c.count[k]!;
    const h = c.hash[k]!;
    const w = cellWeight(n, roots[k]!, fmix32((h ^ rk) >>> 0));
    let dc = 0;
    let db = 0;
    const a11 = c.spread[3 * k]!;
    const a21 = c.spread[3 * k + 1]!;
    const a22 = c.spread[3 * k + 2]!;
    if (a11 !== 0 || a21 !== 0) {
      const z1 = standardNormal(fmix32((h ^ rk1) >>> 0));
      dc = a11 * z1;
      db = a21 * z1;
    }
    if (a22 !== 0) db += a22 * standardNormal(fmix32((h ^ rk2) >>> 0));
    const y = c.label[k]!;
    const extra = w - n;
    for (let m = 0; m < models; m++) {
      const d = m === 0 ? dc : db;
      addCell(acc, m * SLOTS, f, (k * models + m) * width, y, w, extra, d);
    }
  }
}

/** {@link replicateCells} for a candidate and a baseline, the models unrolled. */
function replicateCells2(
  c: CellCoefficients,
  roots: Float64Array,
  rk: number,
  rk1: number,
  rk2: number,
  acc: Float64Array,
): void {
  const width = COEF.WIDTH;
  const f = c.coef;
  const count = c.count;
  const hash = c.hash;
  const spread = c.spread;
  const label = c.label;
  let pos0 = 0;
  let neg0 = 0;
  let tp0 = 0;
  let fp0 = 0;
  let loss0 = 0;
  let brier0 = 0;
  let auc0 = 0;
  let ap0 = 0;
  let pos1 = 0;
  let neg1 = 0;
  let tp1 = 0;
  let fp1 = 0;
  let loss1 = 0;
  let brier1 = 0;
  let auc1 = 0;
  let ap1 = 0;
  for (let k = 0; k < count.length; k++) {
    const n = count[k]!;
    const h = hash[k]!;
    const w = cellWeight(n, roots[k]!, fmix32((h ^ rk) >>> 0));
    let dc = 0;
    let db = 0;
    const a11 = spread[3 * k]!;
    const a21 = spread[3 * k + 1]!;
    const a22 = spread[3 * k + 2]!;
    if (a11 !== 0 || a21 !== 0) {
      const z1 = standardNormal(fmix32((h ^ rk1) >>> 0));
      dc = a11 * z1;
      db = a21 * z1;
    }
    if (a22 !== 0) db += a22 * standardNormal(fmix32((h ^ rk2) >>> 0));
    const y = label[k]!;
    const extra = w - n;
    // addCell for each model, written out, with the sums in locals (registers, not memory).
    let q = 2 * k * width;
    if (y === 1) {
      pos0 += w;
      pos1 += w;
      if (f[q + COEF.PRED] === 1) tp0 += w;
      if (f[q + width + COEF.PRED] === 1) tp1 += w;
    } else {
      neg0 += w;
      neg1 += w;
      if (f[q + COEF.PRED] === 1) fp0 += w;
      if (f[q + width + COEF.PRED] === 1) fp1 += w;
    }
    loss0 += w * f[q + COEF.LOSS]! + dc * f[q + COEF.LOSS_SLOPE]!;
    brier0 += w * f[q + COEF.BRIER]! + dc * f[q + COEF.BRIER_SLOPE]!;
    auc0 += extra * f[q + COEF.AUC]! + dc * f[q + COEF.AUC_SLOPE]!;
    ap0 += extra * f[q + COEF.AP]! + dc * f[q + COEF.AP_SLOPE]!;
    let e = f[q + COEF.ECE_BIN]!;
    acc[ECE_Y + e]! += w * y;
    acc[ECE_P + e]! += w * f[q + COEF.P]! + dc * f[q + COEF.P_SLOPE]!;
    q += width;
    loss1 += w * f[q + COEF.LOSS]! + db * f[q + COEF.LOSS_SLOPE]!;
    brier1 += w * f[q + COEF.BRIER]! + db * f[q + COEF.BRIER_SLOPE]!;
    auc1 += extra * f[q + COEF.AUC]! + db * f[q + COEF.AUC_SLOPE]!;
    ap1 += extra * f[q + COEF.AP]! + db * f[q + COEF.AP_SLOPE]!;
    e = f[q + COEF.ECE_BIN]!;
    acc[SLOTS + ECE_Y + e]! += w * y;
    acc[SLOTS + ECE_P + e]! += w * f[q + COEF.P]! + db * f[q + COEF.P_SLOPE]!;
  }
  // acc starts at 0, so each slot ends as the same 0 + … sum the locals hold.
  acc[BT.POS] = pos0;
  acc[BT.NEG] = neg0;
  acc[BT.TP] = tp0;
  acc[BT.FP] = fp0;
  acc[BT.LOSS] = loss0;
  acc[BT.BRIER] = brier0;
  acc[BT.AUC] = auc0;
  acc[BT.AP] = ap0;
  acc[SLOTS + BT.POS] = pos1;
  acc[SLOTS + BT.NEG] = neg1;
  acc[SLOTS + BT.TP] = tp1;
  acc[SLOTS + BT.FP] = fp1;
  acc[SLOTS + BT.LOSS] = loss1;
  acc[SLOTS + BT.BRIER] = brier1;
  acc[SLOTS + BT.AUC] = auc1;
  acc[SLOTS + BT.AP] = ap1;
}

/** Adds one cell's weighted terms for one model (accumulators at `a`, coefficients at `q`). */
function addCell(
  acc: Float64Array,
  a: number,
  f: Float64Array,
  q: number,
  y: number,
  w: number,
  extra: number,
  d: number,
): void {
  acc[a + (y === 1 ? BT.POS : BT.NEG)]! += w;
  if (f[q + COEF.PRED] === 1) acc[a + (y === 1 ? BT.TP : BT.FP)]! += w;
  acc[a + BT.LOSS]! += w * f[q + COEF.LOSS]! + d * f[q + COEF.LOSS_SLOPE]!;
  acc[a + BT.BRIER]! += w * f[q + COEF.BRIER]! + d * f[q + COEF.BRIER_SLOPE]!;
  acc[a + BT.AUC]! += extra * f[q + COEF.AUC]! + d * f[q + COEF.AUC_SLOPE]!;
  acc[a + BT.AP]! += extra * f[q + COEF.AP]! + d * f[q + COEF.AP_SLOPE]!;
  const e = f[q + COEF.ECE_BIN]!;
  acc[a + ECE_Y + e]! += w * y;
  acc[a + ECE_P + e]! += w * f[q + COEF.P]! + d * f[q + COEF.P_SLOPE]!;
}
