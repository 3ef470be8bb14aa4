import { createRng, type Rng } from "../random/rng.js";
import type { IsotonicFit } from "../stats/isotonic-regression.js";
import { cbpeEstimates } from "./cbpe-replicates.js";
import type { EstimatedValue } from "./drift-result.js";
import { PERFORMANCE_METRICS } from "./realised-metrics.js";
import { fitBins, type ReferenceCalibration } from "./reference-calibration.js";
import { expectedRocAuc, SCORE_BINS, scoreBin } from "./score-tally.js";
import type { ScoreTallyState } from "./score-tally-state.js";

type Metric = (typeof PERFORMANCE_METRICS)[number];

/** The served rows of a score tally by score bin, split at the threshold. */
interface ServedBins {
  centre: Float64Array;
  /** Rows scored below the threshold, and at or above it. */
  below: Float64Array;
  above: Float64Array;
}

/**
 * CBPE's point estimates with the scores recalibrated: each served row's score goes through the
 * reference's isotonic map to a probability `q`, and the expected confusion matrix at `threshold`
 * (`E[TP] = Σ_{s≥t} q`, …) and expected ROC curve are taken over those probabilities, the rows
 * still ranked by their own score. Rows of one 1/4096-wide score bin count as tied.
 *
 * @example
 * calibratedPoint(tally.state(), calibration.map, 0.5);
 * // { roc_auc: 0.78, accuracy: 0.81, precision: 0.62, recall: 0.55 }
 */
export function calibratedPoint(
  tally: ScoreTallyState,
  map: IsotonicFit,
  threshold: number,
): Record<Metric, number | null> {
  const served = servedBins(tally, threshold);
  return metricsOf(served, probabilities(served, map), null);
}

/** How {@link calibratedEstimate} draws its interval. */
export interface CalibratedEstimateOptions {
  threshold: number;
  /** Monte Carlo replicates (default 200). */
  replicates?: number;
  confidence?: number;
  /** Seeds the draws (the model name): the same inputs give the same interval. */
  seed: string;
}

/**
 * CBPE estimates with recalibrated scores (see {@link calibratedPoint}), each with an interval
 * meant to hold the metric the served rows will have once all their outcomes are known. Two
 * errors separate the estimate from that metric, and each replicate draws both:
 * - the calibration is itself estimated: the isotonic map is refitted on a Poisson bootstrap of
 *   the reference's labelled rows, giving expected metric `E*`. Isotonic fits overfit (their steps
 *   follow the noise, which makes the probabilities look more extreme and inflates the estimates),
 *   so the bootstrap's error `E* − E` is reflected about the estimate `E` — the basic bootstrap,
 *   `E − (E* − E)` — which removes the part of that bias the bootstrap sees;
 * - the outcomes are a sample: every served row's outcome is drawn from its refitted probability,
 *   giving realised metric `D*`, and `D* − E*` is added.
 * A replicate is `2E − 2E* + D*`; the interval is the percentile interval of the replicates, cut
 * to the metric's range [0, 1]. It cannot cover concept drift (a change of `P(y | score)` after
 * the reference), which CBPE assumes away. The bootstrap sees about half of isotonic regression's
 * optimism, so coverage runs a few points under nominal: 92–94.5% for 95% intervals on
 * over-confident scores (`bench/cbpe.bench.mjs`).
 *
 * Outcomes are drawn per score bin and side of the threshold: exactly (inverting the binomial CDF)
 * while a group's expected count of its rarer outcome is below 30, and beyond that from the normal
 * law with the binomial's mean and variance, rounded and clamped to the group — the metrics read
 * only sums over groups, where the difference is far below the interval's own Monte Carlo error.
 * Reference counts are resampled with `Rng.poisson` (exact below a mean of 30, normal above).
 *
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html ·
 * Davison & Hinkley (1997), Bootstrap Methods and their Application, §5.2 (basic interval)
 *
 * @example
 * calibratedEstimate(tally.state(), calibration, { threshold: 0.5, seed: "churn" }).roc_auc;
 * // { value: 0.78, ci: [0.765, 0.794] }
 */
export function calibratedEstimate(
  tally: ScoreTallyState,
  calibration: Extract<ReferenceCalibration, { status: "recalibrated" }>,
  options: CalibratedEstimateOptions,
): Record<Metric, EstimatedValue> {
  const replicates = options.replicates ?? 200;
  const confidence = options.confidence ?? 0.95;
  const served = servedBins(tally, options.threshold);
  const point = metricsOf(served, probabilities(served, calibration.map), null);
  const rng = createRng(`cbpe/${options.seed}`);
  const ref = calibration.bins;
  const negatives = new Float64Array(ref.centre.length);
  const positives = new Float64Array(ref.centre.length);
  return cbpeEstimates(
    PERFORMANCE_METRICS,
    point,
    () => {
      for (let i = 0; i < ref.centre.length; i++) {
        negatives[i] = rng.poisson(ref.negatives[i]!);
        positives[i] = rng.poisson(ref.positives[i]!);
      }
      const q = probabilities(served, fitBins({ centre: ref.centre, negatives, positives }));
      return { expected: metricsOf(served, q, null), drawn: metricsOf(served, q, rng) };
    },
    { replicates, confidence, undefined: "undefined on the served scores (one expected class)" },
  );
}

function servedBins(tally: ScoreTallyState, threshold: number): ServedBins {
  const n = tally.mass.length / 3;
  const served = { centre: new Float64Array(n), below: new Float64Array(n), above: new Float64Array(n) };
  const thresholdBin = scoreBin(threshold);
  for (let i = 0; i < n; i++) {
    const bin = tally.mass[3 * i]!;
    // Σp + Σ(1 − p) over a bin is its row count, up to rounding.
    const rows = Math.round(tally.mass[3 * i + 1]! + tally.mass[3 * i + 2]!);
    const above =
      bin > thresholdBin ? rows : bin < thresholdBin ? 0 : Math.min(rows, tally.thresholdBinAbove);
    served.centre[i] = (bin + 0.5) / SCORE_BINS;
    served.above[i] = above;
    served.below[i] = rows - above;
  }
  return served;
}

function probabilities(served: ServedBins, map: IsotonicFit): Float64Array {
  return map.predictAll(served.centre);
}

/**
 * The four metrics of the served bins with positive probabilities `q`: their expectations when
 * `rng` is `null`, else of one draw of outcomes.
 */
function metricsOf(served: ServedBins, q: Float64Array, rng: Rng | null): Record<Metric, number | null> {
  const n = q.length;
  const pos = new Float64Array(n);
  const neg = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    const above = served.above[i]!;
    const below = served.below[i]!;
    const p = q[i]!;
    const positivesAbove = rng ? binomial(rng, above, p) : above * p;
    const positivesBelow = rng ? binomial(rng, below, p) : below * p;
    tp += positivesAbove;
    fp += above - positivesAbove;
    fn += positivesBelow;
    tn += below - positivesBelow;
    pos[i] = positivesAbove + positivesBelow;
    neg[i] = above + below - pos[i]!;
  }
  const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
  return {
    roc_auc: expectedRocAuc(pos, neg),
    accuracy: ratio(tp + tn, tp + fp + fn + tn),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
  };
}

/**
 * A Binomial(`n`, `p`) count: exact (inversion of the CDF, walking up from 0 on the rarer
 * outcome, about `n·min(p, 1 − p)` steps) while that mean is below 30, else normal with the
 * binomial's mean and variance, rounded and clamped to [0, n].
 *
 * @example
 * binomial(createRng(1), 10, 0.5); // an integer in 0..10
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const rare = Math.min(p, 1 - p);
  if (n * rare >= 30) {
    const k = Math.round(rng.normal(n * p, Math.sqrt(n * p * (1 - p))));
    return Math.min(n, Math.max(0, k));
  }
  const odds = rare / (1 - rare);
  let term = (1 - rare) ** n;
  let cdf = term;
  const u = rng.next();
  let k = 0;
  while (u >= cdf && k < n) {
    term *= (odds * (n - k)) / (k + 1);
    k += 1;
    cdf += term;
  }
  return rare === p ? k : n - k;
}
