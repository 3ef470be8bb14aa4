import { type ColumnDrift, compareColumn } from "../profile/compare-column.js";
import type { DriftMethod } from "../profile/drift-thresholds.js";
import type { Profile } from "../profile/profile.js";
import type {
  CalibrationCheck,
  EstimatedValue,
  PerformanceComparison,
  PredictionHealth,
} from "./drift-result.js";
import { PERFORMANCE_METRICS } from "./realised-metrics.js";
import type { ScoreSummary } from "./score-tally.js";

/** Confidence `max(p, 1 − p)` below which a prediction counts as low-confidence. */
export const LOW_CONFIDENCE_BELOW = 0.6;

/** Assumptions of confidence-based performance estimation, printed beside every estimate. */
export const CBPE_ASSUMPTIONS = [
  "the scores, recalibrated on the labelled reference rows (isotonic regression), are calibrated probabilities of the positive class for the served rows too",
  "only the inputs changed, not how the outcome depends on them (no concept drift)",
  "the interval allows for the calibration's own error and the luck of the outcomes, not for concept drift; window estimates are expectations without one",
];

/** What the estimate assumes when the reference could not check calibration: the raw scores are taken at their word. */
export const UNCHECKED_CBPE_ASSUMPTIONS = [
  "the raw scores are calibrated probabilities of the positive class: NOT checked, see the calibration warning",
  "only the inputs changed, not how the outcome depends on them (no concept drift)",
  "estimates are expectations: they carry no interval",
];

/** How the score's own drift is measured. */
export interface ScoreDriftOptions {
  reference: Profile;
  score?: string | undefined;
  method?: "auto" | DriftMethod;
  warn?: number | undefined;
  alert?: number | undefined;
}

/**
 * Drift of the score distribution: against the reference's column of the same name when the
 * reference has one (a profile of scored evaluation data), otherwise `current` against the first
 * window of the logged period, so a change within the period still shows.
 *
 * @example
 * scoreDrift({ reference, score: "score" }, windowProfile, firstWindowProfile);
 * // { drift: { column: "score", method: "wasserstein", level: "ok", ... }, baseline: "reference" }
 */
export function scoreDrift(
  options: ScoreDriftOptions,
  current: Profile,
  first: Profile | undefined,
): { drift: ColumnDrift | null; baseline: PredictionHealth["scoreDriftBaseline"] } {
  const name = options.score;
  const cur = name === undefined ? undefined : current.columns[name];
  if (name === undefined || !cur) return { drift: null, baseline: null };
  const limits = {
    column: name,
    method: options.method ?? "auto",
    ...(options.warn === undefined ? {} : { warn: options.warn }),
    ...(options.alert === undefined ? {} : { alert: options.alert }),
  };
  const ref = options.reference.columns[name];
  if (ref) return { drift: compareColumn(ref, cur, limits), baseline: "reference" };
  const base = first?.columns[name];
  if (!base || first === current) return { drift: null, baseline: null };
  return { drift: compareColumn(base, cur, limits), baseline: "first window" };
}

/**
 * Prediction health from a score summary and the score drift.
 *
 * @example
 * healthOf(tally.finish(), scoreDrift(options, profile, first));
 * // { rows: 1000, meanScore: 0.27, lowConfidenceShare: 0.12, positiveShare: 0.2, scoreDrift: {...}, ... }
 */
export function healthOf(
  summary: ScoreSummary | null,
  drift: { drift: ColumnDrift | null; baseline: PredictionHealth["scoreDriftBaseline"] },
): PredictionHealth {
  return {
    rows: summary?.rows ?? 0,
    meanScore: summary?.meanScore ?? null,
    lowConfidenceShare: summary?.lowConfidenceShare ?? null,
    lowConfidenceBelow: LOW_CONFIDENCE_BELOW,
    positiveShare: summary?.positiveShare ?? null,
    scoreDrift: drift.drift,
    scoreDriftBaseline: drift.baseline,
  };
}

/**
 * Estimated (CBPE) next to realised performance. `cbpe.estimated` holds the recalibrated estimates
 * when the reference established a calibration; without them the raw scores' estimates of
 * `summary` are shown, with no interval and the reason.
 *
 * @example
 * buildPerformance(tally.finish(), { calibration }, sample.seen, sample.rows(), 0.5, realisedMetrics);
 * // { estimated: { roc_auc: { value: 0.81 }, ... }, realised: { roc_auc: { value: 0.8, ci: [0.78, 0.82] } }, calibration: {...}, ... }
 */
export function buildPerformance(
  summary: ScoreSummary,
  cbpe: { calibration: CalibrationCheck; estimated?: Record<string, EstimatedValue> },
  labelled: number,
  sample: { scores: Float64Array; labels: Float64Array },
  threshold: number,
  realised: (
    scores: Float64Array,
    labels: Float64Array,
    options: { threshold: number },
  ) => Record<string, EstimatedValue>,
): PerformanceComparison {
  const estimated: Record<string, EstimatedValue> = {};
  for (const name of PERFORMANCE_METRICS) {
    const value = summary.estimated[name];
    estimated[name] =
      cbpe.estimated?.[name] ??
      (value === null
        ? { value: null, reason: "no scores to estimate from" }
        : {
            value,
            ci: null,
            reason: "calibration not established on the reference: raw scores, no interval",
          });
  }
  const empty = Object.fromEntries(
    PERFORMANCE_METRICS.map((name) => [name, { value: null, reason: "no outcomes have arrived" }]),
  );
  return {
    estimated,
    realised: sample.scores.length > 0 ? realised(sample.scores, sample.labels, { threshold }) : empty,
    labelled,
    realisedSample: sample.scores.length,
    threshold,
    calibration: cbpe.calibration,
    assumptions: cbpe.calibration.status === "recalibrated" ? CBPE_ASSUMPTIONS : UNCHECKED_CBPE_ASSUMPTIONS,
  };
}
