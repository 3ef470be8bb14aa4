import type { MetricName } from "../manifest/metric-names.js";
import type { GroupIds } from "../slicing/group-ids.js";
import type { CountPassData } from "./count-pass.js";
import { ECE_BINS, eceBin } from "./ece-bin.js";
import { meanAcceleration } from "./mean-acceleration.js";
import { OPERATING_SIZE, type OperatingSpec, operatingWalk } from "./operating-point.js";

/** Offsets of one group's binary tally (weighted sums) in a pass's output. */
export const BINARY_TALLY = {
  POS: 0,
  NEG: 1,
  TP: 2,
  FP: 3,
  AUC: 4,
  AP: 5,
  LOSS: 6,
  BRIER: 7,
  ECE: 8,
} as const;
/** Numbers per group in a binary tally. */
export const BINARY_TALLY_SIZE = 9;

/** scikit-learn clips probabilities to `[eps, 1 - eps]` with `eps = np.finfo(float64).eps` (≥ 1.5). */
export const FLOAT64_EPS = Number.EPSILON;

/**
 * One pass over rows (and groups of rows) that produces every group's sufficient statistics for
 * a given weight vector. Prepared once, run once per bootstrap replicate.
 */
export interface RowPass {
  readonly rows: number;
  readonly groups: number;
  /** Numbers per group written by {@link RowPass.run}. */
  readonly tallySize: number;
  /** Fills `out[g * tallySize + field]`; `weights` are per row in input order, `null` = all 1. */
  run(weights: Float64Array | Uint8Array | null, out: Float64Array): void;
  /**
   * The BCa acceleration of a metric that is a mean of per-row values over some of a group's rows
   * (log loss, Brier, accuracy, recall, precision), in group g: `Σu³ / (6 (Σu²)^{3/2})` with `u`
   * each counted row's value minus their mean, the empirical influence form (Efron & Tibshirani
   * 1993, eq. 14.15). `undefined` for other metrics.
   */
  acceleration?(g: number, metric: MetricName): number | undefined;
  /**
   * The arrays the pass walks, in shared memory: a worker thread rebuilds the same pass from them
   * (`rowPassFrom`) and runs replicates of its own. Absent: the pass runs here only.
   */
  readonly data?: PassData;
}

/** A binary pass: its shared arrays are a {@link BinaryPassData}. */
export interface BinaryPass extends RowPass {
  readonly data: BinaryPassData;
}

/** The shared arrays of a pass a worker thread can rebuild: a binary pass's or a count pass's. */
export type PassData = BinaryPassData | CountPassData;

/** What a binary pass walks: rows in descending score order, in `SharedArrayBuffer`s. */
export interface BinaryPassData {
  readonly kind: "binary";
  readonly threshold: number;
  readonly groups: number;
  /** Groupings per row (overall and each slice spec). */
  readonly stride: number;
  /** `order[k]`: the input row at position k of the order (what weights are indexed by). */
  readonly order: Uint32Array;
  readonly label: Uint8Array;
  readonly p: Float64Array;
  /**
   * Each position's log loss and Brier term once built (`rowLosses`), else absent: a run then
   * computes them row by row (`rowLoss`, `rowBrier`: the same numbers). Built by a pass's second
   * run, or before a pass goes to worker threads, so that only passes run many times (bootstrap
   * replicates) hold them; 16 bytes a row that a pass run once (the point values of groups whose
   * intervals are Gaussian) never allocates.
   */
  losses?: RowLosses;
  /** 1 where the row shares its score with a neighbour in the order. */
  readonly tied: Uint8Array;
  /** `group[k * stride + j]`: position k's group in grouping j. */
  readonly group: GroupIds;
  /** Set when operating-point metrics are asked for: their walk runs after the pass's own. */
  readonly operating?: OperatingSpec;
  /**
   * Sample weights by position (absent: all 1). Only the BCa acceleration reads them: `run` takes
   * every weight it applies, sample weights included, from its caller.
   */
  readonly weight?: Float64Array;
}

/** Per-row log loss and Brier term by position of a pass's order, in `SharedArrayBuffer`s. */
export interface RowLosses {
  readonly loss: Float64Array;
  readonly brier: Float64Array;
}

/**
 * A row's log loss with label y and probability p, clipped as `log_loss` does after stacking
 * [1 − p, p]: each column on its own.
 *
 * @example
 * rowLoss(1, 0.5); // 0.6931471805599453
 */
export function rowLoss(y: number, p: number): number {
  return -Math.log(Math.min(Math.max(y === 1 ? p : 1 - p, FLOAT64_EPS), 1 - FLOAT64_EPS));
}

/**
 * A row's Brier term with label y and probability p: `(y − p)²`.
 *
 * @example
 * rowBrier(1, 0.75); // 0.0625
 */
export function rowBrier(y: number, p: number): number {
  return (y - p) * (y - p);
}

/**
 * The pass's per-row losses ({@link BinaryPassData.losses}), built now (in shared memory) when
 * absent and kept in `data`, so that worker threads given `data` afterwards read the same arrays.
 *
 * @example
 * rowLosses(pass.data).loss[0]; // the log loss of the highest-scored row
 */
export function rowLosses(data: BinaryPassData): RowLosses {
  if (data.losses) return data.losses;
  const { label, p } = data;
  const n = label.length;
  const loss = new Float64Array(new SharedArrayBuffer(8 * n));
  const brier = new Float64Array(new SharedArrayBuffer(8 * n));
  for (let k = 0; k < n; k++) {
    loss[k] = rowLoss(label[k]!, p[k]!);
    brier[k] = rowBrier(label[k]!, p[k]!);
  }
  data.losses = { loss, brier };
  return data.losses;
}

/** Rows, and the groups each row belongs to, as a pass needs them. */
export interface PassRows {
  labels: ArrayLike<number>;
  scores: ArrayLike<number>;
  /** One array per grouping (overall, each slice spec): row → group index in `[0, groups)`. */
  groupIds: readonly GroupIds[];
  groups: number;
  /**
   * Sample weights by row (see `EvaluateInput.weights`), for what the pass computes beyond `run`
   * (the BCa acceleration); `run` still applies only the weights it is given.
   */
  weights?: ArrayLike<number>;
}

const F = 10; // POS NEG TIE_POS TIE_NEG (unused) AUC AP WP LOSS BRIER

/**
 * The pass of {@link prepareBinaryPass} over its prepared arrays: what a worker thread builds from
 * a pass's `data` to run replicates with the very same arithmetic.
 *
 * @example
 * const copy = binaryPassFrom(prepareBinaryPass(rows, 0.5).data!); // runs as the original does
 */
export function binaryPassFrom(data: BinaryPassData): BinaryPass {
  const { order, label, p, tied, group, stride, threshold } = data;
  const n = order.length;

  // Snapshot slots: 0 = where scores fall below the threshold, j = 1..9 = where the ECE bin drops below j.
  const slots = ECE_BINS;
  const at = new Int32Array(slots).fill(n);
  let firstBelow = n;
  for (let k = n - 1; k >= 0 && p[k]! < threshold; k--) firstBelow = k;
  at[0] = firstBelow;
  for (let k = n - 1; k >= 0; k--) {
    const b = eceBin(p[k]!, ECE_BINS);
    for (let j = b + 1; j < ECE_BINS; j++) at[j] = k;
  }
  const events = [...at.keys()].sort((x, y) => at[x]! - at[y]!);

  const groups = data.groups;
  const operating = data.operating;
  const tallySize = BINARY_TALLY_SIZE + (operating ? OPERATING_SIZE : 0);
  const st = new Float64Array(groups * F);
  const snap = new Float64Array(groups * slots * 3);

  const flush = (o: number) => {
    const tp = st[o + 2]!;
    const tn = st[o + 3]!;
    if (tp === 0 && tn === 0) return;
    const pos = st[o]!;
    const neg = st[o + 1]!;
    st[o + 5]! += tn * (pos + 0.5 * tp);
    if (tp !== 0) {
      const above = pos + tp;
      st[o + 6]! += (tp * above) / (above + neg + tn);
    }
    st[o] = pos + tp;
    st[o + 1] = neg + tn;
    st[o + 2] = 0;
    st[o + 3] = 0;
  };

  /**
   * Adds the tie starting at row `from` (rows of one score): each row into its groups' pending tie
   * counts, then every group it touched closes its tie (`flush`). Returns the row after the tie.
   * Ties never straddle a snapshot position: the threshold and the ECE bin edges cut between scores.
   */
  // This run's per-row losses: `undefined` on a pass's first run (unless built already), which
  // computes each row's loss instead (`rowLoss`, `rowBrier`: the same numbers).
  let loss: Float64Array | undefined;
  let brier: Float64Array | undefined;
  let runs = 0;

  const addTie = (weights: Float64Array | Uint8Array | null, from: number): number => {
    let to = from + 1;
    while (to < n && tied[to] === 1 && p[to] === p[from]) to++;
    for (let k = from; k < to; k++) {
      const w = weights === null ? 1 : weights[order[k]!]!;
      if (w === 0) continue;
      const y = label[k]!;
      const wp = w * p[k]!;
      const wl = w * (loss === undefined ? rowLoss(y, p[k]!) : loss[k]!);
      const wb = w * (brier === undefined ? rowBrier(y, p[k]!) : brier[k]!);
      const base = k * stride;
      for (let j = 0; j < stride; j++) {
        const o = group[base + j]! * F;
        st[o + 3 - y]! += w;
        st[o + 7]! += wp;
        st[o + 8]! += wl;
        st[o + 9]! += wb;
      }
    }
    for (let k = from; k < to; k++) {
      const base = k * stride;
      for (let j = 0; j < stride; j++) flush(group[base + j]! * F);
    }
    return to;
  };

  const run = (weights: Float64Array | Uint8Array | null, out: Float64Array) => {
    if (++runs > 1 || data.losses) ({ loss, brier } = rowLosses(data));
    st.fill(0);
    let k = 0;
    for (let e = 0; e <= slots; e++) {
      const end = e < slots ? at[events[e]!]! : n;
      while (k < end) {
        if (tied[k] === 1) {
          k = addTie(weights, k);
          continue;
        }
        const w = weights === null ? 1 : weights[order[k]!]!;
        if (w !== 0) {
          // A row alone at its score closes its own tie in each of its groups at once: the same
          // arithmetic as `flush` with one of tp, tn equal to w and the other 0, without pending it.
          const y = label[k]!;
          const wp = w * p[k]!;
          const wl = w * (loss === undefined ? rowLoss(y, p[k]!) : loss[k]!);
          const wb = w * (brier === undefined ? rowBrier(y, p[k]!) : brier[k]!);
          const base = k * stride;
          if (y === 1) {
            for (let j = 0; j < stride; j++) {
              const o = group[base + j]! * F;
              const above = st[o]! + w;
              st[o + 6]! += (w * above) / (above + st[o + 1]!);
              st[o] = above;
              st[o + 7]! += wp;
              st[o + 8]! += wl;
              st[o + 9]! += wb;
            }
          } else {
            for (let j = 0; j < stride; j++) {
              const o = group[base + j]! * F;
              st[o + 5]! += w * st[o]!;
              st[o + 1]! += w;
              st[o + 7]! += wp;
              st[o + 8]! += wl;
              st[o + 9]! += wb;
            }
          }
        }
        k++;
      }
      if (e === slots) break;
      const slot = events[e]!;
      for (let g = 0; g < groups; g++) {
        const o = g * F;
        const q = (g * slots + slot) * 3;
        snap[q] = st[o]! + st[o + 2]!;
        snap[q + 1] = st[o + 1]! + st[o + 3]!;
        snap[q + 2] = st[o + 7]!;
      }
    }
    for (let g = 0; g < groups; g++) {
      const o = g * F;
      flush(o);
      const t = g * tallySize;
      const q = g * slots * 3;
      out[t + BINARY_TALLY.POS] = st[o]!;
      out[t + BINARY_TALLY.NEG] = st[o + 1]!;
      out[t + BINARY_TALLY.TP] = snap[q]!;
      out[t + BINARY_TALLY.FP] = snap[q + 1]!;
      out[t + BINARY_TALLY.AUC] = st[o + 5]!;
      out[t + BINARY_TALLY.AP] = st[o + 6]!;
      out[t + BINARY_TALLY.LOSS] = st[o + 8]!;
      out[t + BINARY_TALLY.BRIER] = st[o + 9]!;
      // Bin j's sums are the totals at edge j minus those at edge j + 1 (bin 0's upper part is the whole).
      let gap = 0;
      let hiPos = 0;
      let hiWp = 0;
      for (let j = ECE_BINS - 1; j >= 0; j--) {
        const loPos = j === 0 ? st[o]! : snap[q + j * 3]!;
        const loWp = j === 0 ? st[o + 7]! : snap[q + j * 3 + 2]!;
        gap += Math.abs(loPos - hiPos - (loWp - hiWp));
        hiPos = loPos;
        hiWp = loWp;
      }
      out[t + BINARY_TALLY.ECE] = gap;
    }
    if (operating) operatingWalk(data, operating, weights, out, tallySize);
  };
  const acceleration = meanAcceleration(data);
  return { rows: n, groups, tallySize, run, acceleration, data };
}
