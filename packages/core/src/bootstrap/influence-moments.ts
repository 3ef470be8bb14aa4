import type { MetricName } from "../manifest/metric-names.js";
import { type BinaryPassData, FLOAT64_EPS } from "../metrics/binary-pass.js";
import { ECE_BINS, eceBin } from "../metrics/ece-bin.js";

/**
 * Binary metrics whose influence function {@link influenceMoments} knows: a group whose metrics
 * are all here can take the Gaussian large-group intervals (see `largeGroups`); any other metric
 * asked for keeps every group on the per-row bootstrap.
 */
export const INFLUENCE_METRICS: ReadonlySet<MetricName> = new Set<MetricName>([
  "roc_auc",
  "average_precision",
  "f1",
  "precision",
  "recall",
  "accuracy",
  "log_loss",
  "brier",
  "ece",
]);

/**
 * The smallest count a metric divides by — positives, negatives, and each model's predicted
 * positives and negatives at the threshold — at or above which a group's intervals come from the
 * influence functions (a Gaussian approximation) instead of the per-row bootstrap. Below it the
 * bootstrap's small-sample behaviour (skewed means, AUC near 1) matters; above it the two agree
 * within the coverage bench's error (`bench/coverage.bench.mjs` prints both sides).
 */
export const GAUSSIAN_MIN_COUNT = 1000;

/** What {@link influenceMoments} needs: each model's prepared pass over the same rows and groups. */
export interface InfluenceInput {
  /** One per model (candidate, then baseline): the prepared binary passes' arrays. */
  models: readonly BinaryPassData[];
  /** Labels and scores per model by input row (what the passes were prepared from). */
  labels: ArrayLike<number>;
  scores: readonly ArrayLike<number>[];
  threshold: number;
  metrics: readonly MetricName[];
  /** The groups to compute (each is in exactly one grouping); others are skipped. */
  groups: readonly number[];
  /** A metric's point value for model m in group g (`null` when undefined). */
  value(model: number, g: number, name: MetricName): number | null;
}

/** Per group: each model's variance of each metric, and the covariance of the paired changes. */
export interface GroupMoments {
  /** `variance[model][mi]`: Σᵢ φᵢ², the metric's variance to first order. */
  variance: Float64Array[];
  /** With two models: `covariance[a · M + b]` = Σᵢ (φᶜᵢ − φᵇᵢ)_a (φᶜᵢ − φᵇᵢ)_b over metrics a, b. */
  covariance: Float64Array | null;
}

/**
 * First-order variances of every metric of the given groups, and the covariance matrix of the
 * candidate − baseline changes within each group, from each row's influence φᵢ on each metric:
 * the metric computed with row i's weight raised by ε changes by ε·φᵢ. To first order a Poisson
 * bootstrap replicate is θ̂ + Σᵢ (wᵢ − 1) φᵢ, so `Σᵢ φᵢ²` is the variance the bootstrap estimates
 * (the infinitesimal jackknife / nonparametric delta method: Jaeckel 1972; Efron 1982, "The
 * jackknife, the bootstrap and other resampling plans", §6), and the change's variance follows
 * from φᶜᵢ − φᵇᵢ on the same rows (paired).
 *
 * - ROC AUC: φᵢ = (Vᵢ − AUC)/P for a positive, with Vᵢ the share of the group's negatives scored
 *   below it (ties ½), and symmetrically /N for a negative: DeLong's structural components
 *   (DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44(3)), so Σφ² is DeLong's variance with n
 *   for n − 1, and the paired form gives DeLong's test of two correlated AUCs. The components come
 *   from one walk down the already-sorted scores: the O(n log n) algorithm of Sun & Xu 2014
 *   ("Fast implementation of DeLong's algorithm", IEEE Signal Processing Letters 21(11)).
 * - Average precision, the step sum `(1/P) Σₜ posₜ · TPₜ/Dₜ` over distinct scores t (Dₜ rows and
 *   TPₜ positives scored ≥ t): differentiating each term gives
 *   φᵢ = (yᵢ (precᵢ − AP) + yᵢ Aᵢ − Bᵢ)/P with Aᵢ = Σ_{t ≤ sᵢ} posₜ/Dₜ, Bᵢ = Σ_{t ≤ sᵢ} posₜ precₜ/Dₜ.
 * - Means over a group's counted rows (log loss, Brier, accuracy; recall over positives, precision
 *   over predicted positives): φᵢ = (xᵢ − mean)/count for counted rows, 0 for the others.
 * - F1 = 2TP/(P + PP): φᵢ = (2yᵢŷᵢ − F1 (yᵢ + ŷᵢ))/(P + PP).
 * - ECE = Σ_b |G_b|/n with G_b = Σ_{i∈b} (yᵢ − pᵢ): φᵢ = (sign(G_b) (yᵢ − pᵢ) − ECE)/n (not smooth
 *   where a bin's gap is 0, where no interval of the plug-in ECE is valid; see `UNJUDGED_METRICS`).
 *
 * Every φ depends on the rows only through their labels, the order of the scores (AUC, AP) and
 * per-row values, so AUC and AP variances are invariant under strictly monotone transforms of the
 * scores, a constant score gives AUC variance 0, and a merge of shards (the same rows in another
 * order) gives the same moments up to the order of floating-point sums.
 *
 * Cost: per grouping, one walk per model and one pass over the rows; memory: two doubles a row.
 *
 * @example
 * influenceMoments({ models: [pass.data], labels, scores: [scores], threshold: 0.5,
 *   metrics: ["roc_auc"], groups: [0], value: (m, g, name) => point });
 * // Map { 0 => { variance: [Float64Array [0.00031]], covariance: null } }
 */
export function influenceMoments(input: InfluenceInput): Map<number, GroupMoments> {
  const { models, labels, scores, threshold, metrics } = input;
  const first = models[0]!;
  const n = first.order.length;
  const stride = first.stride;
  const groups = first.groups;
  const M = metrics.length;
  const paired = models.length > 1;
  const out = new Map<number, GroupMoments>();
  const wanted = new Uint8Array(groups);
  for (const g of input.groups) {
    wanted[g] = 1;
    out.set(g, {
      variance: models.map(() => new Float64Array(M)),
      covariance: paired ? new Float64Array(M * M) : null,
    });
  }
  const index = (name: MetricName) => metrics.indexOf(name);
  const iAuc = index("roc_auc");
  const iAp = index("average_precision");
  // Per model and group, the values φ needs (NaN where undefined: φ is then 0).
  const constants = models.map((_, m): GroupValues => {
    const c = (name: MetricName) => {
      const at = new Float64Array(groups).fill(Number.NaN);
      if (index(name) >= 0) for (const g of input.groups) at[g] = input.value(m, g, name) ?? Number.NaN;
      return at;
    };
    return {
      auc: c("roc_auc"),
      ap: c("average_precision"),
      logLoss: c("log_loss"),
      brier: c("brier"),
      accuracy: c("accuracy"),
      recall: c("recall"),
      precision: c("precision"),
      f1: c("f1"),
      ece: c("ece"),
    };
  });
  // Group counts: rows, positives, and each model's predicted positives; each model's ECE bin
  // gaps G_b per group (the sign in φ). Rows' groups by input row: the passes hold them by position.
  const count = new Float64Array(groups);
  const positives = new Float64Array(groups);
  const predicted = models.map(() => new Float64Array(groups));
  const gaps = models.map(() => new Float64Array(groups * ECE_BINS));
  const rowGroup = new Uint32Array(n * stride);
  for (let k = 0; k < n; k++) {
    const i = first.order[k]!;
    for (let j = 0; j < stride; j++) rowGroup[i * stride + j] = first.group[k * stride + j]!;
  }
  for (let i = 0; i < n; i++) {
    const y = labels[i] === 1 ? 1 : 0;
    for (let j = 0; j < stride; j++) {
      const g = rowGroup[i * stride + j]!;
      if (wanted[g] === 0) continue;
      count[g]! += 1;
      positives[g]! += y;
      for (let m = 0; m < models.length; m++) {
        const p = scores[m]![i]!;
        if (p >= threshold) predicted[m]![g]! += 1;
        gaps[m]![g * ECE_BINS + eceBin(p, ECE_BINS)]! += y - p;
      }
    }
  }
  // AUC and AP influence by input row, paired (candidate's minus baseline's) once both walks ran.
  const rank = { auc: new Float64Array(iAuc >= 0 ? n : 0), ap: new Float64Array(iAp >= 0 ? n : 0) };
  const phi = new Float64Array(M);
  const delta = new Float64Array(M);
  for (let j = 0; j < stride; j++) {
    if (iAuc >= 0 || iAp >= 0) {
      models.forEach((data, m) => {
        rankWalk(data, j, { count, positives, wanted }, constants[m]!, (i, g, auc, ap) => {
          const variance = out.get(g)!.variance[m]!;
          if (iAuc >= 0) {
            variance[iAuc]! += auc * auc;
            rank.auc[i] = m === 0 ? auc : rank.auc[i]! - auc;
          }
          if (iAp >= 0) {
            variance[iAp]! += ap * ap;
            rank.ap[i] = m === 0 ? ap : rank.ap[i]! - ap;
          }
        });
      });
    }
    // Per row: each model's φ of the other metrics, their squares and the paired change's products.
    for (let i = 0; i < n; i++) {
      const g = rowGroup[i * stride + j]!;
      if (wanted[g] === 0) continue;
      const moments = out.get(g)!;
      const y = labels[i] === 1 ? 1 : 0;
      for (let m = 0; m < models.length; m++) {
        const p = scores[m]![i]!;
        meanInfluence(metrics, constants[m]!, g, y, p, threshold, {
          rows: count[g]!,
          positives: positives[g]!,
          predicted: predicted[m]![g]!,
          gap: gaps[m]![g * ECE_BINS + eceBin(p, ECE_BINS)]!,
          out: phi,
        });
        const variance = moments.variance[m]!;
        for (let mi = 0; mi < M; mi++) {
          if (mi === iAuc || mi === iAp) continue;
          variance[mi]! += phi[mi]! * phi[mi]!;
          delta[mi] = m === 0 ? phi[mi]! : delta[mi]! - phi[mi]!;
        }
      }
      const cov = moments.covariance;
      if (!cov) continue;
      if (iAuc >= 0) delta[iAuc] = rank.auc[i]!;
      if (iAp >= 0) delta[iAp] = rank.ap[i]!;
      for (let a = 0; a < M; a++) {
        const da = delta[a]!;
        if (da === 0) continue;
        for (let b = a; b < M; b++) cov[a * M + b]! += da * delta[b]!;
      }
    }
  }
  for (const moments of out.values()) {
    const cov = moments.covariance;
    if (cov) for (let a = 0; a < M; a++) for (let b = 0; b < a; b++) cov[a * M + b] = cov[b * M + a]!;
  }
  return out;
}

/** One model's metric values per group (`NaN` where undefined or not computed). */
interface GroupValues {
  auc: Float64Array;
  ap: Float64Array;
  logLoss: Float64Array;
  brier: Float64Array;
  accuracy: Float64Array;
  recall: Float64Array;
  precision: Float64Array;
  f1: Float64Array;
  ece: Float64Array;
}

/** Group counts the walks read: rows and positives per group, and which groups are computed. */
interface GroupCounts {
  count: Float64Array;
  positives: Float64Array;
  wanted: Uint8Array;
}

/**
 * Walks one model's rows up from the lowest score, one tie block at a time, for grouping j, and
 * calls `emit(row, group, φ_AUC, φ_AP)` for every row of a wanted group (see `influenceMoments`).
 * Per group it keeps the positives and negatives below the block and the running sums A and B.
 */
function rankWalk(
  data: BinaryPassData,
  j: number,
  counts: GroupCounts,
  values: GroupValues,
  emit: (row: number, g: number, auc: number, ap: number) => void,
): void {
  const { order, label, p, group, stride, groups } = data;
  const { count, positives, wanted } = counts;
  const posBelow = new Float64Array(groups);
  const negBelow = new Float64Array(groups);
  const posTie = new Float64Array(groups);
  const negTie = new Float64Array(groups);
  const sumA = new Float64Array(groups);
  const sumB = new Float64Array(groups);
  const prec = new Float64Array(groups);
  const stepped = new Uint8Array(groups);
  let k = order.length - 1;
  while (k >= 0) {
    let from = k;
    while (from > 0 && p[from - 1] === p[k]) from--;
    for (let q = from; q <= k; q++) {
      const g = group[q * stride + j]!;
      if (label[q] === 1) posTie[g]! += 1;
      else negTie[g]! += 1;
    }
    // The block's step of the AP sum, once per group: Dₜ rows and TPₜ positives scored ≥ t.
    for (let q = from; q <= k; q++) {
      const g = group[q * stride + j]!;
      if (stepped[g] === 1) continue;
      stepped[g] = 1;
      const d = count[g]! - negBelow[g]! - posBelow[g]!;
      prec[g] = (positives[g]! - posBelow[g]!) / d;
      sumA[g]! += posTie[g]! / d;
      sumB[g]! += (posTie[g]! * prec[g]!) / d;
    }
    for (let q = from; q <= k; q++) {
      const g = group[q * stride + j]!;
      if (wanted[g] === 0) continue;
      const P = positives[g]!;
      const N = count[g]! - P;
      const y = label[q]!;
      const auc =
        y === 1
          ? ((negBelow[g]! + 0.5 * negTie[g]!) / N - values.auc[g]!) / P
          : ((P - posBelow[g]! - 0.5 * posTie[g]!) / P - values.auc[g]!) / N;
      const ap = (y * (prec[g]! - values.ap[g]!) + y * sumA[g]! - sumB[g]!) / P;
      emit(order[q]!, g, Number.isFinite(auc) ? auc : 0, Number.isFinite(ap) ? ap : 0);
    }
    for (let q = from; q <= k; q++) {
      const g = group[q * stride + j]!;
      if (stepped[g] === 0) continue;
      stepped[g] = 0;
      posBelow[g]! += posTie[g]!;
      negBelow[g]! += negTie[g]!;
      posTie[g] = 0;
      negTie[g] = 0;
    }
    k = from - 1;
  }
}

/** Counts and the row's ECE bin gap that {@link meanInfluence} reads, and where it writes φ. */
interface MeanCounts {
  rows: number;
  positives: number;
  predicted: number;
  gap: number;
  out: Float64Array;
}

/** φ of every metric but AUC and AP for one row (label y, score p) of group g into `c.out`. */
function meanInfluence(
  metrics: readonly MetricName[],
  v: GroupValues,
  g: number,
  y: number,
  p: number,
  threshold: number,
  c: MeanCounts,
): void {
  const yhat = p >= threshold ? 1 : 0;
  for (let mi = 0; mi < metrics.length; mi++) {
    let phi: number;
    switch (metrics[mi]) {
      case "roc_auc":
      case "average_precision":
        phi = 0; // from `rankWalk`
        break;
      case "log_loss": {
        const q = Math.min(Math.max(y === 1 ? p : 1 - p, FLOAT64_EPS), 1 - FLOAT64_EPS);
        phi = (-Math.log(q) - v.logLoss[g]!) / c.rows;
        break;
      }
      case "brier":
        phi = ((y - p) * (y - p) - v.brier[g]!) / c.rows;
        break;
      case "accuracy":
        phi = ((yhat === y ? 1 : 0) - v.accuracy[g]!) / c.rows;
        break;
      case "recall":
        phi = y === 1 ? (yhat - v.recall[g]!) / c.positives : 0;
        break;
      case "precision":
        phi = yhat === 1 ? (y - v.precision[g]!) / c.predicted : 0;
        break;
      case "f1":
        phi = (2 * y * yhat - v.f1[g]! * (y + yhat)) / (c.positives + c.predicted);
        break;
      case "ece":
        phi = (Math.sign(c.gap) * (y - p) - v.ece[g]!) / c.rows;
        break;
      default:
        throw new RangeError(`no influence function for ${metrics[mi]}`);
    }
    c.out[mi] = Number.isFinite(phi) ? phi : 0;
  }
}
