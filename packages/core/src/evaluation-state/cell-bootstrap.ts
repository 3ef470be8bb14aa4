import { poissonCount, standardNormal } from "../bootstrap/poisson-count.js";
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
  const width = COEF.WIDTH;
  for (let r = 0; r < replicates; r++) {
    const rk = replicateKey(input.seed, r);
    const rk1 = fmix32((rk ^ 0x68e31da4) >>> 0);
    const rk2 = fmix32((rk ^ 0xb5297a4d) >>> 0);
    for (let gi = 0; gi < groups.length; gi++) {
      const c = coefficients[gi]!;
      acc.fill(0);
      for (let k = 0; k < c.count.length; k++) {
        const n = c.count[k]!;
        const h = c.hash[k]!;
        const w = poissonCount(n, fmix32((h ^ rk) >>> 0));
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
          const q = (k * models + m) * width;
          const a = m * SLOTS;
          const f = c.coef;
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
      }
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
