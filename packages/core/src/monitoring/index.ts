export { alertingSignals } from "./alerting-signals.js";
export {
  type ClassProbabilityTally,
  type ClassProbabilityTallyOptions,
  type ClassProbabilityWindowState,
  createClassProbabilityTally,
  mergeClassProbabilityWindows,
} from "./class-probability-tally.js";
export { GrowableDoubles } from "./growable-doubles.js";
export {
  finishKpis,
  type KpiHealth,
  type KpiLimits,
  type KpiSeries,
  type KpiWindow,
} from "./kpi-checks.js";
export {
  createKpiTally,
  type KpiSpec,
  type KpiSums,
  type KpiTally,
  type KpiTallyOptions,
  type KpiWindowState,
} from "./kpi-tally.js";
export {
  encodeLayerStates,
  type LayerStates,
  mergeLayerStates,
  parseLayerStates,
  type ReconstructionWindowState,
  type SegmentCounts,
  type SegmentMonitorState,
} from "./layer-states.js";
export { checkParsedFlags, loggedFlag } from "./logged-flag.js";
export {
  finishOperations,
  type OperationalHealth,
  type OperationsLimits,
  type OperationsSettings,
  type OperationsWindow,
} from "./operational-health.js";
export {
  createOperationsTally,
  type OperationsState,
  type OperationsTally,
  type OperationsTallyOptions,
  type OperationsWindowState,
} from "./operations-tally.js";
export type { PredictionAlerts, PredictionWindow } from "./prediction-alerts.js";
export { finishPrediction } from "./prediction-checks.js";
export type { PredictionLimits, PredictionSettings } from "./prediction-settings.js";
export {
  createPredictionTally,
  type PredictionTally,
  type PredictionTallyOptions,
  type PredictionWindowState,
} from "./prediction-tally.js";
export {
  createReconstructionTally,
  finishReconstruction,
  fitReconstruction,
  type MultivariateDrift,
  type ReconstructionModel,
  type ReconstructionTally,
  reconstructionError,
} from "./reconstruction-drift.js";
export { releasedMetrics } from "./released-metrics.js";
export { renderChecks } from "./render-checks.js";
export { renderKpis } from "./render-kpis.js";
export { renderMultivariate } from "./render-multivariate.js";
export { renderOperations } from "./render-operations.js";
export { renderPrediction } from "./render-prediction.js";
export { renderSegments } from "./render-segments.js";
export {
  alertTimeline,
  recommendedStep,
  renderMonitoringSummary,
  type SignalTimeline,
} from "./render-summary.js";
export {
  finishSegmentStates,
  type SegmentGapWindow,
  type SegmentHealth,
  type SegmentResult,
} from "./segment-health.js";
export { createSegmentMonitor, type SegmentMonitor, type SegmentMonitorOptions } from "./segment-monitor.js";
export { type MonitoringLayers, withLayers } from "./with-layers.js";
