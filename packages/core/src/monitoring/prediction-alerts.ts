import type { CalibrationCheck, EstimatedValue } from "../drift/drift-result.js";
import type { DriftLevel } from "../profile/compare-column.js";
import type { Check } from "../results/check.js";
import type { WindowBreach } from "./operational-health.js";

/** One window's prediction health. */
export interface PredictionWindow {
  start: string;
  end: string;
  scored: number;
  lowConfidence: { share: number; ci: [number, number] } | null;
  /** Predicted class → share of the window's predictions. */
  classShares: Record<string, number>;
  /** Total variation distance of `classShares` from the reference's mix. */
  classShift: number | null;
  /** Multiclass and regression with an outcome field: rows whose outcome has arrived. */
  labelled?: number;
  /** Their realised metrics ({@link realisedTaskMetrics}), each with its bootstrap interval. */
  realised?: Record<string, EstimatedValue>;
  /** Multiclass with logged class probabilities: the label-free estimate (CBPE) of the window. */
  estimated?: Record<string, EstimatedValue>;
  /** The rows the estimate is of: those with every class's probability (may differ from `scored`). */
  estimatedRows?: number;
  /** Set when the realised metrics are on a seeded uniform sample of the labelled rows: its size. */
  realisedSample?: number;
}

/** The whole logged period's realised metrics: shown beside the per-window limits, not judged. */
export interface PredictionPeriod {
  labelled: number;
  realised: Record<string, EstimatedValue>;
  /** Set when the metrics are on a seeded uniform sample of the labelled rows: its size. */
  realisedSample?: number;
}

/** `drift.json`'s `prediction`: prediction health held to `monitoring.prediction`. */
export interface PredictionAlerts {
  /** The reference's predicted-class mix and how it was read (`exact`, `sketch`), or null. */
  referenceMix: { shares: Record<string, number>; from: "values" | "sketch" | "counts" } | null;
  windows: PredictionWindow[];
  /** With an outcome field: the realised metrics over every window's labelled rows. */
  period?: PredictionPeriod;
  checks: Check[];
  /** Windows that breached a per-window limit (low-confidence, class mix). */
  breaches: WindowBreach[];
  /** Multiclass estimate: how the reference checked the class probabilities' calibration. */
  calibration?: CalibrationCheck;
  level: DriftLevel;
}
