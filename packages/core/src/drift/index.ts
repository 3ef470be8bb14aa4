export {
  type CalibratedEstimateOptions,
  calibratedEstimate,
  calibratedPoint,
} from "./calibrated-estimate.js";
export { type ClassCalibration, classCalibration, classCalibrationCheck } from "./class-calibration.js";
export {
  addClassProbabilities,
  type ClassProbabilityCounts,
  mergeClassProbabilityCounts,
} from "./class-probability-counts.js";
export {
  type CompareProfilesOptions,
  compareProfiles,
  driftIndex,
  worstFirst,
} from "./compare-profiles.js";
export { driftChart } from "./drift-chart.js";
export { levelRank, statusOfLevel, worstLevel } from "./drift-level.js";
export {
  createDriftMonitor,
  type DriftMonitor,
  type DriftMonitorOptions,
  EXACT_VALUES_LIMIT,
} from "./drift-monitor.js";
export {
  type CalibrationCheck,
  DRIFT_SCHEMA,
  type DriftResult,
  type DriftWindow,
  type EstimatedValue,
  type PerformanceComparison,
  type PredictionHealth,
  type ReferenceSource,
} from "./drift-result.js";
export {
  DRIFT_STATE_SCHEMA,
  type DriftState,
  type DriftWindowState,
  type EncodedDriftState,
  encodeDriftState,
  type MergeDriftOptions,
  mergeDriftStates,
  parseDriftState,
  stripChunks,
} from "./drift-state.js";
export { driftChecks, driftVerdict } from "./drift-verdict.js";
export { finishDrift } from "./finish-drift.js";
export {
  DRIFT_LABEL,
  type DriftIssueState,
  driftIssueMarker,
  encodeIssueState,
  readIssueState,
} from "./issue-state.js";
export { type LogRowOptions, logRowStarts, type RowStarts } from "./log-rows.js";
export { MULTICLASS_ESTIMATED_METRICS, multiclassEstimate } from "./multiclass-estimate.js";
export { type DriftIssueInput, type DriftIssuePlan, planDriftIssue } from "./plan-drift-issue.js";
export {
  createLabelledSample,
  type LabelledSample,
  type LabelledSampleState,
  mergeLabelledSamples,
  PERFORMANCE_METRICS,
  realisedMetrics,
} from "./realised-metrics.js";
export {
  calibrationCheck,
  labelledScoreCounts,
  MIN_CALIBRATION_ROWS,
  type ReferenceCalibration,
  referenceCalibration,
} from "./reference-calibration.js";
export { type RenderDriftOptions, renderDriftReport } from "./render-drift-report.js";
export { renderReferenceDrift } from "./render-reference-drift.js";
export { createScoreTally, SCORE_BINS, type ScoreSummary, type ScoreTally } from "./score-tally.js";
export { emptyTallyState, mergeScoreTallyStates, type ScoreTallyState } from "./score-tally-state.js";
export { selectRows } from "./select-rows.js";
export { CBPE_ASSUMPTIONS, LOW_CONFIDENCE_BELOW, UNCHECKED_CBPE_ASSUMPTIONS } from "./window-health.js";
export { windowStart } from "./window-start.js";
