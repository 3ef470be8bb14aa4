import type { KpiHealth } from "../monitoring/kpi-checks.js";
import type { OperationalHealth } from "../monitoring/operational-health.js";
import type { PredictionAlerts } from "../monitoring/prediction-alerts.js";
import type { MultivariateDrift } from "../monitoring/reconstruction-drift.js";
import type { SegmentHealth } from "../monitoring/segment-health.js";
import type { ColumnDrift, DriftLevel } from "../profile/compare-column.js";
import type { Check } from "../results/check.js";
import type { EmptyWindows } from "./empty-windows.js";

/** The `schema` tag of `drift.json`. */
export const DRIFT_SCHEMA = "gauntlet/drift@1";

/** A value with a confidence interval, or the reason there is none. */
export interface EstimatedValue {
  value: number | null;
  ci?: [number, number] | null;
  reason?: string;
}

/**
 * Whether CBPE's assumption of calibrated scores was checked on the reference, and how the scores
 * were recalibrated before estimating.
 *
 * @example
 * const calibration: CalibrationCheck = { status: "recalibrated", method: "isotonic regression",
 *   rows: 5000, positives: 1310, ece: 0.118, reason: "scores recalibrated by isotonic regression on 5,000 labelled reference rows (ECE of the raw scores there: 0.118)" };
 */
export interface CalibrationCheck {
  /** `not established`: the estimate rests on the raw scores being calibrated, unchecked (a warning). */
  status: "recalibrated" | "not established";
  method: "isotonic regression" | null;
  /** Labelled reference rows, and their positives. */
  rows: number;
  positives: number;
  /** Expected calibration error of the raw scores on the reference (its reliability curve), if known. */
  ece: number | null;
  reason: string;
}

/** Realised and confidence-based estimated performance, side by side. */
export interface PerformanceComparison {
  /**
   * Metrics computed from the scores alone (CBPE): recalibrated on the reference first, with an
   * interval for the metric the served rows will have once their outcomes are known; without a
   * calibration, from the raw scores as if they were calibrated, with no interval.
   */
  estimated: Record<string, EstimatedValue>;
  /** How the scores were calibrated for the estimate. Added after `gauntlet/drift@1` first shipped. */
  calibration: CalibrationCheck;
  /** Metrics on the rows whose outcome has arrived, with bootstrap intervals. */
  realised: Record<string, EstimatedValue>;
  /** Rows with an outcome (the realised metrics' sample, before any subsampling). */
  labelled: number;
  /** The labelled rows the realised metrics used (a seeded sample when there were more). */
  realisedSample: number;
  threshold: number;
  /** What the estimate assumes; printed in every report so nobody reads it as a measurement. */
  assumptions: string[];
}

/** The health of the served scores over a period. */
export interface PredictionHealth {
  rows: number;
  meanScore: number | null;
  /** Share of scores whose confidence `max(p, 1 − p)` is below {@link PredictionHealth.lowConfidenceBelow}. */
  lowConfidenceShare: number | null;
  lowConfidenceBelow: number;
  /** Share of rows predicted positive (`score ≥ threshold`): the predicted class mix. */
  positiveShare: number | null;
  /** The score's own drift, against the reference's score column or, lacking one, the first window. */
  scoreDrift: ColumnDrift | null;
  scoreDriftBaseline: "reference" | "first window" | null;
}

/** One time window of the logged period. */
export interface DriftWindow {
  /** ISO start (inclusive) and end (exclusive), UTC. */
  start: string;
  end: string;
  rows: number;
  level: DriftLevel;
  /** Largest `score / alert limit` over the columns: 1 means "at the alert limit". */
  driftIndex: number | null;
  /** The column behind {@link DriftWindow.driftIndex}. */
  worstColumn: string | null;
  alerting: string[];
  health: PredictionHealth;
  estimatedAccuracy: number | null;
  estimatedRocAuc: number | null;
  realisedAccuracy: number | null;
  labelled: number;
}

/** Where the reference profile came from. */
export interface ReferenceSource {
  kind: "release" | "profile" | "data";
  /** The alias, release tag, or file path. */
  location: string;
  model?: { name: string; version: string };
  rows: number;
  /**
   * Rows of the sample of values the statistics were computed on exactly (the release's
   * `reference-sample.parquet`, or every row of a data file); absent when the reference is a
   * profile alone, whose numeric statistics then come from sketches (see each column's
   * `details.approximate`).
   */
  sample?: number;
}

/**
 * The content of `drift.json`: the production model's logged predictions compared with its
 * reference profile, per column and per window, with prediction health and performance.
 *
 * @example
 * const result: DriftResult = monitor.finish();
 * result.level; // "alert"
 * result.verdict; // "alert: 3 of 10 columns drifted (worst: monthly_charges) since 2025-05-30"
 */
export interface DriftResult {
  schema: typeof DRIFT_SCHEMA;
  model: { name: string; version: string };
  reference: ReferenceSource;
  /** The files read and their rows; `skipped` counts rows left out, by reason. */
  rows: {
    read: number;
    used: number;
    skipped: Record<string, number>;
    otherVersions: Record<string, number>;
  };
  window: string;
  windows: DriftWindow[];
  /** Windows with no logs between the first and the last that has some (a day whose log is missing). */
  emptyWindows: EmptyWindows;
  /** Every compared column over the whole period, worst first. */
  columns: ColumnDrift[];
  health: PredictionHealth;
  performance: PerformanceComparison | null;
  /**
   * Operational health (latency, error rate, volume per window) when `monitoring` names a latency
   * or error field or sets `operations` limits. Added after `gauntlet/drift@1` first shipped.
   */
  operations?: OperationalHealth;
  /** Prediction health held to `monitoring.prediction`, when set. Added after `gauntlet/drift@1` first shipped. */
  prediction?: PredictionAlerts;
  /** Business KPIs per window (`monitoring.kpis`), when set. Added after `gauntlet/drift@1` first shipped. */
  kpis?: KpiHealth;
  /** Every statistic per segment of `monitoring.slices`, worst first, when set. Added after `gauntlet/drift@1` first shipped. */
  segments?: SegmentHealth;
  /** PCA reconstruction error per window (`monitoring.multivariate`), when set. Added after `gauntlet/drift@1` first shipped. */
  multivariate?: MultivariateDrift;
  level: DriftLevel;
  verdict: string;
  /** The same findings as checks (`pass` | `warn` | `fail`), like every other result file. */
  checks: Check[];
  status: "pass" | "warn" | "fail";
}
