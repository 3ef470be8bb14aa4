import type { MetricName } from "../manifest/metric-names.js";
import type { BinaryPassData } from "../metrics/binary-pass.js";
import { ECE_BINS, eceBin } from "../metrics/ece-bin.js";
import { type GroupIds, groupIdArray } from "../slicing/group-ids.js";
import { normalCdf } from "../stats/normal.js";
import { groupingChunks, type InfluenceRunner, RANK_BYTES, runChunks } from "./influence-chunks.js";
import { SLOT, SLOTS } from "./influence-slots.js";

/**
 * Binary metrics whose influence function {@link influenceMoments} knows and that need no
 * parameter: where their counts are large (see `intervalRoutes`) they take Gaussian intervals, any
 * other metric the per-row bootstrap. `value` (the cost metric at the threshold) has one too but
 * needs `evaluation.costs` (see {@link COST_INFLUENCE_METRICS}). Operating points chosen on the
 * data (`f1_max`, `threshold_*`, `value_max`, `recall_at_precision`, `fpr_at_tpr`,
 * `precision_at_k`) have none: their threshold moves with the sample, the statistic is a maximum
 * or an inverse of a step function, not a smooth function of means, so the first-order expansion
 * behind a Gaussian interval does not hold; they stay on the bootstrap.
 */
export const INFLUENCE_METRICS: ReadonlySet<MetricName> = new Set(
  (Object.keys(SLOT) as MetricName[]).filter((m) => m !== "value"),
);

/** Metrics with an influence function that needs `InfluenceInput.costs`: `value`. */
export const COST_INFLUENCE_METRICS: ReadonlySet<MetricName> = new Set(["value"] as MetricName[]);

/**
 * The smallest count a metric divides by — positives, negatives, and each model's predicted
 * positives and negatives at the threshold — at or above which a group's intervals come from the
 * influence functions (a Gaussian approximation) instead of the per-row bootstrap. Below it the
 * bootstrap's small-sample behaviour (skewed means, AUC near 1) matters; above it the two agree
 * within the coverage bench's error (`bench/coverage.bench.mjs` prints both sides).
 */
export const GAUSSIAN_MIN_COUNT = 1000;

/**
 * The smallest number of positives and of negatives (Kish effective counts under sample weights) at
 * or above which ROC AUC, average precision, log loss, Brier and ECE take the Gaussian interval;
 * below it they are bootstrapped, whatever `GAUSSIAN_MIN_COUNT` allows the count metrics. At 1,000
 * the Gaussian intervals of these score metrics did not meet the [93%, 97%] coverage target
 * (`bench/coverage.bench.mjs`, per-metric section, threshold 0.7, 300 data sets, at n = 4,000 ≈ 1,200
 * positives: ROC AUC 92.3% ± 1.5%, AP 91.0% ± 1.7%, log loss 92.7% ± 1.5%, Brier 92.3% ± 1.5%);
 * at ≈ 2,400 positives and 5,600 negatives (n = 8,000) they cover 93.3–96.0%. The count metrics
 * (accuracy 93.7% ± 1.4% at 1,000 rows, recall, selection rate, `value`) keep `GAUSSIAN_MIN_COUNT`.
 */
export const GAUSSIAN_MIN_CLASS_COUNT = 2000;

/** What {@link influenceMoments} needs: each model's prepared pass over the same rows and groups. */
export interface InfluenceInput {
  /** One per model (candidate, then baseline): the prepared binary passes' arrays. */
  models: readonly BinaryPassData[];
  /** Labels and scores per model by input row (what the passes were prepared from). */
  labels: ArrayLike<number>;
  scores: readonly ArrayLike<number>[];
  threshold: number;
  /** `evaluation.costs`, for `value` (without them `value` is undefined and so is its φ). */
  costs?: { tp: number; fp: number; fn: number; tn: number } | undefined;
  /** Sample weights by input row (see `EvaluateInput.weights`); absent = all 1. */
  weights?: ArrayLike<number>;
  metrics: readonly MetricName[];
  /** The groups to compute (each is in exactly one grouping); others are skipped. */
  groups: readonly number[];
  /**
   * Each grouping's group by input row (`evaluate`'s group ids), when the caller has them: else
   * they are rebuilt from the first pass's positions, one more byte per row and grouping (110 MB
   * at 10M rows and 11 groupings).
   */
  rowGroups?: readonly GroupIds[];
  /** A metric's point value for model m in group g (`null` when undefined). */
  value(model: number, g: number, name: MetricName): number | null;
  /**
   * Bytes the AUC and AP influence of the groupings walked together may take (default
   * `RANK_BYTES`, 128 MB); the moments are the same whatever it is, only the number of walks changes.
   */
  rankBytes?: number;
}

/** Per group: each model's variance of each metric, and the covariance of the paired changes. */
export interface GroupMoments {
  /** `variance[model][mi]`: Σᵢ φᵢ², the metric's variance to first order. */
  variance: Float64Array[];
  /** With two models: `covariance[a · M + b]` = Σᵢ (φᶜᵢ − φᵇᵢ)_a (φᶜᵢ − φᵇᵢ)_b over metrics a, b. */
  covariance: Float64Array | null;
  /**
   * `eceBias[model]`: what a Poisson bootstrap replicate of the plug-in ECE exceeds it by on
   * average, `Σ_b (E|G_b*| − |G_b|)/n` with G_b* ~ N(G_b, Σ_{i∈b} (yᵢ − pᵢ)²) — the shift the
   * basic bootstrap interval takes off (see `BIAS_CORRECTED`); 0 without ECE.
   */
  eceBias: number[];
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
 * - At the fixed threshold, means too: false-positive rate over negatives φᵢ = (1 − yᵢ)(ŷᵢ − FPR)/N,
 *   selection rate over every row φᵢ = (ŷᵢ − SR)/n, and the cost metric `value`, the mean value of
 *   a decision, φᵢ = (c(yᵢ, ŷᵢ) − value)/n with c the cost of row i's outcome (tp, fp, fn or tn).
 * - ECE = Σ_b |G_b|/n with G_b = Σ_{i∈b} (yᵢ − pᵢ): φᵢ = (sign(G_b) (yᵢ − pᵢ) − ECE)/n (not smooth
 *   where a bin's gap is 0, where no interval of the plug-in ECE is valid; see `UNJUDGED_METRICS`).
 *
 * With sample weights (`weights`) every count and sum above is weighted, φᵢ is the derivative in row
 * i's weight (`∂θ/∂wᵢ`), and what enters the moments is ψᵢ = wᵢ φᵢ: a replicate weighs row i
 * wᵢ × its Poisson count, so it is θ̂ + Σᵢ (Poissonᵢ − 1) wᵢ φᵢ to first order. For a weighted mean
 * m = Σwx/Σw, ψᵢ = wᵢ (xᵢ − m)/Σw; a row of weight 0 has no influence. Without weights ψ = φ.
 *
 * Every φ depends on the rows only through their labels, the order of the scores (AUC, AP) and
 * per-row values, so AUC and AP variances are invariant under strictly monotone transforms of the
 * scores, a constant score gives AUC variance 0, and a merge of shards (the same rows in another
 * order) gives the same moments up to the order of floating-point sums.
 *
 * Cost: per chunk of groupings (`groupingChunks`), one walk per model and one pass over the rows;
 * memory: two doubles a row and grouping of a chunk. `run` may spread the chunks over threads
 * (see `InfluenceRunner`): each chunk writes only its own groups' sums, so the moments are the same.
 *
 * @example
 * influenceMoments({ models: [pass.data], labels, scores: [scores], threshold: 0.5,
 *   metrics: ["roc_auc"], groups: [0], value: (m, g, name) => point });
 * // Map { 0 => { variance: [Float64Array [0.00031]], covariance: null } }
 */
export function influenceMoments(input: InfluenceInput, run?: InfluenceRunner): Map<number, GroupMoments> {
  const { models, labels, scores, threshold, metrics, weights } = input;
  const first = models[0]!;
  const n = first.order.length;
  const stride = first.stride;
  const groups = first.groups;
  const M = metrics.length;
  const K = models.length;
  const paired = K > 1;
  const wanted = new Uint8Array(groups);
  for (const g of input.groups) wanted[g] = 1;
  // Each requested metric's slot in a row's φ vector (see `SLOT`), and its group values per model.
  const slot = metrics.map((name) => {
    const at = SLOT[name as keyof typeof SLOT];
    if (at === undefined) throw new RangeError(`no influence function for ${name}`);
    return at;
  });
  const costs = input.costs ?? { tp: 0, fp: 0, fn: 0, tn: 0 };
  const iAuc = metrics.indexOf("roc_auc");
  const iAp = metrics.indexOf("average_precision");
  const values = models.map((_, m) => {
    const at = new Float64Array(groups * SLOTS).fill(Number.NaN);
    for (const g of input.groups)
      metrics.forEach((name, mi) => {
        at[g * SLOTS + slot[mi]!] = input.value(m, g, name) ?? Number.NaN;
      });
    return at;
  });
  // Group counts: rows, positives, and each model's predicted positives; each model's ECE bin
  // gaps G_b per group (the sign in φ): each chunk sums its own groups' (`chunkSums`), so that the
  // threads share this pass too. Rows' groups by input row: the passes hold them by position.
  const count = new Float64Array(groups);
  const positives = new Float64Array(groups);
  const predicted = new Float64Array(K * groups);
  const gaps = new Float64Array(K * groups * ECE_BINS);
  const gapVariance = new Float64Array(K * groups * ECE_BINS);
  const rowGroups = input.rowGroups ?? byInputRow(first);
  // Per row and model: the ECE bin and whether predicted positive (grouping-independent).
  const bin = new Uint8Array(K * n);
  for (let m = 0; m < K; m++) {
    const sc = scores[m]!;
    for (let i = 0; i < n; i++) bin[m * n + i] = eceBin(sc[i]!, ECE_BINS);
  }
  const variance = new Float64Array(groups * K * M);
  const covariance = new Float64Array(paired ? groups * M * M : 0);
  const withRank = iAuc >= 0 || iAp >= 0;
  // Each group's grouping, so that a chunk's walks add only to its own groups' variances.
  const groupingOf = new Int32Array(groups).fill(-1);
  rowGroups.forEach((ids, j) => {
    for (let i = 0; i < n; i++) groupingOf[ids[i]!] = j;
  });
  (run ?? runChunks)({
    models,
    rows: { labels, scores, weights, threshold, costs, rowGroups, bin, groups, slot, iAuc, iAp },
    sums: { count, positives, predicted, gaps, gapVariance, wanted },
    values,
    groups: input.groups,
    groupingOf,
    chunks: groupingChunks(stride, withRank ? n : 0, input.rankBytes ?? RANK_BYTES),
    variance,
    covariance,
  });
  const out = new Map<number, GroupMoments>();
  for (const g of input.groups) {
    const cov = paired ? covariance.slice(g * M * M, (g + 1) * M * M) : null;
    if (cov) for (let a = 0; a < M; a++) for (let b = 0; b < a; b++) cov[a * M + b] = cov[b * M + a]!;
    out.set(g, {
      variance: models.map((_, m) => variance.slice((g * K + m) * M, (g * K + m + 1) * M)),
      covariance: cov,
      eceBias: models.map((_, m) => {
        if (!metrics.includes("ece")) return 0;
        let bias = 0;
        for (let b = 0; b < ECE_BINS; b++) {
          const at = (m * groups + g) * ECE_BINS + b;
          bias += foldedNormalMean(gaps[at]!, Math.sqrt(gapVariance[at]!)) - Math.abs(gaps[at]!);
        }
        return bias / count[g]!;
      }),
    });
  }
  return out;
}

/** Each grouping's group by input row, from a pass's arrays (which hold them by position). */
function byInputRow(data: BinaryPassData): GroupIds[] {
  const { order, group, stride, groups } = data;
  return Array.from({ length: stride }, (_, j) => {
    const ids = groupIdArray(order.length, groups);
    for (let k = 0; k < order.length; k++) ids[order[k]!] = group[k * stride + j]!;
    return ids;
  });
}

/** E|X| for X ~ N(μ, σ²) (the folded normal's mean); |μ| when σ = 0. */
function foldedNormalMean(mu: number, sigma: number): number {
  if (!(sigma > 0)) return Math.abs(mu);
  return (
    sigma * Math.sqrt(2 / Math.PI) * Math.exp(-(mu * mu) / (2 * sigma * sigma)) +
    mu * (1 - 2 * normalCdf(-mu / sigma))
  );
}
