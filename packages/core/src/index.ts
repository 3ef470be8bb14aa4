export {
  type AuditRelease,
  type AuditReleaseLookup,
  type AuditReport,
  auditFindings,
  renderAuditReport,
} from "./audit/audit-report.js";
export * from "./behaviour/index.js";
export {
  type BootstrapInput,
  bootstrapMetrics,
  type ReplicateRunner,
} from "./bootstrap/bootstrap-metrics.js";
export {
  type EvaluateInput,
  evaluate,
} from "./bootstrap/evaluate.js";
export { gaussianMaxima } from "./bootstrap/gaussian-maxima.js";
export {
  GAUSSIAN_MIN_CLASS_COUNT,
  GAUSSIAN_MIN_COUNT,
  type GroupMoments,
  INFLUENCE_METRICS,
  influenceMoments,
} from "./bootstrap/influence-moments.js";
export { type Interval, percentileInterval } from "./bootstrap/percentile-interval.js";
export { inBootstrap, type PhaseClock } from "./bootstrap/phase-clock.js";
export { fillPoissonWeights, poissonWeight } from "./bootstrap/poisson-weight.js";
export { rowIdHash } from "./bootstrap/row-hash.js";
export {
  type FamilyMember,
  type GaussianBlock,
  type SupTIntervals,
  supTIntervals,
} from "./bootstrap/sup-t-intervals.js";
export { rolloutCheck } from "./canary/canary-checks.js";
export type {
  ArmSummary,
  CanaryCheck,
  CanaryObservation,
  CanaryResult,
  CanaryStatus,
  CanaryVerdict,
  CanaryWindow,
  WindowSums,
} from "./canary/canary-result.js";
export { type CanaryInput, evaluateCanary } from "./canary/evaluate-canary.js";
export {
  CANARY_LABEL,
  type CanaryIssueInput,
  canaryIssueMarker,
  planCanaryIssue,
} from "./canary/plan-canary-issue.js";
export { renderCanaryReport } from "./canary/render-canary-report.js";
export { type RolloutFile, rolloutFile, stagePayload } from "./canary/rollout-manifest.js";
export {
  type CalibratedEstimateOptions,
  calibratedEstimate,
  calibratedPoint,
} from "./drift/calibrated-estimate.js";
export {
  type CompareProfilesOptions,
  compareProfiles,
  driftIndex,
  worstFirst,
} from "./drift/compare-profiles.js";
export { driftChart } from "./drift/drift-chart.js";
export { levelRank, statusOfLevel, worstLevel } from "./drift/drift-level.js";
export {
  createDriftMonitor,
  type DriftMonitor,
  type DriftMonitorOptions,
  EXACT_VALUES_LIMIT,
} from "./drift/drift-monitor.js";
export {
  type CalibrationCheck,
  DRIFT_SCHEMA,
  type DriftResult,
  type DriftWindow,
  type EstimatedValue,
  type PerformanceComparison,
  type PredictionHealth,
  type ReferenceSource,
} from "./drift/drift-result.js";
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
} from "./drift/drift-state.js";
export { driftChecks, driftVerdict } from "./drift/drift-verdict.js";
export { finishDrift } from "./drift/finish-drift.js";
export {
  DRIFT_LABEL,
  type DriftIssueState,
  driftIssueMarker,
  encodeIssueState,
  readIssueState,
} from "./drift/issue-state.js";
export { type LogRowOptions, logRowStarts, type RowStarts } from "./drift/log-rows.js";
export {
  addClassProbabilities,
  type ClassCalibration,
  type ClassProbabilityCounts,
  classCalibration,
  classCalibrationCheck,
  MULTICLASS_ESTIMATED_METRICS,
  mergeClassProbabilityCounts,
  multiclassEstimate,
} from "./drift/multiclass-estimate.js";
export { type DriftIssueInput, type DriftIssuePlan, planDriftIssue } from "./drift/plan-drift-issue.js";
export {
  createLabelledSample,
  type LabelledSample,
  type LabelledSampleState,
  mergeLabelledSamples,
  PERFORMANCE_METRICS,
  realisedMetrics,
} from "./drift/realised-metrics.js";
export {
  calibrationCheck,
  labelledScoreCounts,
  MIN_CALIBRATION_ROWS,
  type ReferenceCalibration,
  referenceCalibration,
} from "./drift/reference-calibration.js";
export { type RenderDriftOptions, renderDriftReport } from "./drift/render-drift-report.js";
export { renderReferenceDrift } from "./drift/render-reference-drift.js";
export { createScoreTally, SCORE_BINS, type ScoreSummary, type ScoreTally } from "./drift/score-tally.js";
export { emptyTallyState, mergeScoreTallyStates, type ScoreTallyState } from "./drift/score-tally-state.js";
export { selectRows } from "./drift/select-rows.js";
export { CBPE_ASSUMPTIONS, LOW_CONFIDENCE_BELOW, UNCHECKED_CBPE_ASSUMPTIONS } from "./drift/window-health.js";
export { windowStart } from "./drift/window-start.js";
export { forCommandLine, inputRef } from "./errors/input-ref.js";
export { formatUserError, isUserError, UserError, type UserErrorLocation } from "./errors/user-error.js";
export {
  CHECK_RUN_TEXT_LIMIT,
  type CheckRunConclusion,
  checkRunConclusion,
  renderCheckRunOutput,
} from "./gate/check-run-output.js";
export { type CodeownersRule, codeownersOf, parseCodeowners } from "./gate/codeowners.js";
export {
  type ApprovalInput,
  type ComputeApprovalsInput,
  computeApprovals,
  type Review,
} from "./gate/compute-approvals.js";
export { evaluateGate, type GateInput } from "./gate/evaluate-gate.js";
export { fairnessRequests } from "./gate/fairness-rule.js";
export { approvalLine } from "./gate/gate-reasons.js";
export {
  GATE_SCHEMA,
  type GateApprovals,
  type GateCheck,
  type GateComparison,
  type GateRequirement,
  type GateResult,
  type IgnoredApproval,
  type SliceKey,
} from "./gate/gate-result.js";
export {
  type ExpectedModel,
  RESULT_FILES,
  type ResultKind,
  readResultFile,
} from "./gate/read-result-file.js";
export { approvalsText, renderGateSection } from "./gate/render-gate-section.js";
export {
  type ChecksFile,
  checksFileSchema,
  type EvaluationFile,
  evaluationFileSchema,
} from "./gate/result-files.js";
export { declaredVersion } from "./manifest/declared-version.js";
export {
  DURATION_PATTERN,
  isWindowWidth,
  parseDuration,
  parseWindowWidth,
  WINDOW_WIDTH_FIX,
} from "./manifest/duration.js";
export { EXAMPLE_MANIFEST_YAML } from "./manifest/example.js";
export { formatFieldPath } from "./manifest/field-path.js";
export { manifestJsonSchema } from "./manifest/json-schema.js";
export { formatProblem, ManifestError, type ManifestProblem } from "./manifest/manifest-error.js";
export { manifestRules } from "./manifest/manifest-rules.js";
export {
  ALL_METRICS,
  BINARY_METRICS,
  type MetricName,
  MULTICLASS_METRICS,
  metricsForTask,
  REGRESSION_METRICS,
  type Task,
} from "./manifest/metric-names.js";
export { MAX_MANIFEST_BYTES, manifestTooLarge, parseManifest } from "./manifest/parse-manifest.js";
export { renderManifestReference } from "./manifest/reference.js";
export {
  type ColumnContract,
  type DataContract,
  type GateRule,
  type Manifest,
  type ManifestInput,
  manifestSchema,
  type SliceSpec,
} from "./manifest/schema.js";
export { type BehaviourSpec, behaviourSchema } from "./manifest/schema-behaviour.js";
export { customMetricsOf, operatingSpecOf } from "./manifest/schema-operating.js";
export { type PredictionsSpec, predictionsSchema } from "./manifest/schema-predictions.js";
export { FINAL_STAGE, type Rollout, type RolloutCheck, rolloutSchema } from "./manifest/schema-rollout.js";
export { expandedValueCount, MAX_EXPANDED_YAML_VALUES } from "./manifest/yaml-expansion.js";
export { accuracy } from "./metrics/accuracy.js";
export { averagePrecision } from "./metrics/average-precision.js";
export { type BinaryPassData, binaryPassFrom } from "./metrics/binary-pass.js";
export { brier } from "./metrics/brier.js";
export { ece } from "./metrics/ece.js";
export { ECE_BINS, eceBin } from "./metrics/ece-bin.js";
export { f1 } from "./metrics/f1.js";
export { f1Macro } from "./metrics/f1-macro.js";
export { f1Weighted } from "./metrics/f1-weighted.js";
export { falsePositiveRate } from "./metrics/false-positive-rate.js";
export { logLoss } from "./metrics/log-loss.js";
export { mae } from "./metrics/mae.js";
export { mape } from "./metrics/mape.js";
export type { MetricOptions, MetricValue } from "./metrics/metric-value.js";
export { CHOSEN_ON_DATA, type OperatingMetric, operatingMetric } from "./metrics/operating-metrics.js";
export type { OperatingSpec } from "./metrics/operating-point.js";
export { precision } from "./metrics/precision.js";
export { r2 } from "./metrics/r2.js";
export { recall } from "./metrics/recall.js";
export { type ComputeOptions, METRICS, type MetricDefinition } from "./metrics/registry.js";
export { rmse } from "./metrics/rmse.js";
export { rocAuc } from "./metrics/roc-auc.js";
export { selectionRate } from "./metrics/selection-rate.js";
export { alertingSignals } from "./monitoring/alerting-signals.js";
export {
  type ClassProbabilityTally,
  type ClassProbabilityTallyOptions,
  type ClassProbabilityWindowState,
  createClassProbabilityTally,
  mergeClassProbabilityWindows,
} from "./monitoring/class-probability-tally.js";
export { GrowableDoubles } from "./monitoring/growable-doubles.js";
export {
  finishKpis,
  type KpiHealth,
  type KpiLimits,
  type KpiSeries,
  type KpiWindow,
} from "./monitoring/kpi-checks.js";
export {
  createKpiTally,
  type KpiSpec,
  type KpiSums,
  type KpiTally,
  type KpiTallyOptions,
  type KpiWindowState,
} from "./monitoring/kpi-tally.js";
export {
  encodeLayerStates,
  type LayerStates,
  mergeLayerStates,
  parseLayerStates,
  type ReconstructionWindowState,
  type SegmentCounts,
  type SegmentMonitorState,
} from "./monitoring/layer-states.js";
export { checkParsedFlags, loggedFlag } from "./monitoring/logged-flag.js";
export {
  finishOperations,
  type OperationalHealth,
  type OperationsLimits,
  type OperationsSettings,
  type OperationsWindow,
} from "./monitoring/operational-health.js";
export {
  createOperationsTally,
  type OperationsState,
  type OperationsTally,
  type OperationsTallyOptions,
  type OperationsWindowState,
} from "./monitoring/operations-tally.js";
export {
  finishPrediction,
  type PredictionAlerts,
  type PredictionLimits,
  type PredictionSettings,
  type PredictionWindow,
} from "./monitoring/prediction-checks.js";
export {
  createPredictionTally,
  type PredictionTally,
  type PredictionTallyOptions,
  type PredictionWindowState,
} from "./monitoring/prediction-tally.js";
export {
  createReconstructionTally,
  finishReconstruction,
  fitReconstruction,
  type MultivariateDrift,
  type ReconstructionModel,
  type ReconstructionTally,
  reconstructionError,
} from "./monitoring/reconstruction-drift.js";
export { releasedMetrics } from "./monitoring/released-metrics.js";
export { renderChecks } from "./monitoring/render-checks.js";
export { renderKpis } from "./monitoring/render-kpis.js";
export { renderMultivariate } from "./monitoring/render-multivariate.js";
export { renderOperations } from "./monitoring/render-operations.js";
export { renderPrediction } from "./monitoring/render-prediction.js";
export { renderSegments } from "./monitoring/render-segments.js";
export {
  alertTimeline,
  recommendedStep,
  renderMonitoringSummary,
  type SignalTimeline,
} from "./monitoring/render-summary.js";
export {
  createSegmentMonitor,
  finishSegmentStates,
  type SegmentGapWindow,
  type SegmentHealth,
  type SegmentMonitor,
  type SegmentMonitorOptions,
  type SegmentResult,
} from "./monitoring/segment-monitor.js";
export { type MonitoringLayers, withLayers } from "./monitoring/with-layers.js";
export { countsFromSketch, quantileEdges } from "./profile/bins.js";
export {
  type ColumnDrift,
  type CompareColumnOptions,
  compareColumn,
  type DriftLevel,
} from "./profile/compare-column.js";
export {
  createProfileBuilder,
  type ProfileBuilder,
  type ProfileBuilderOptions,
} from "./profile/create-profile-builder.js";
export {
  DEFAULT_THRESHOLDS,
  type DriftMethod,
  type DriftThresholds,
  deriveThresholds,
  MIN_THRESHOLDS,
} from "./profile/drift-thresholds.js";
export {
  createKllSketch,
  type KllSketch,
  kllMerge,
  kllQuantile,
  kllRank,
  kllUpdate,
  kllWeighted,
} from "./profile/kll-sketch.js";
export { type MergeProfilesOptions, mergeProfiles } from "./profile/merge-profiles.js";
export {
  type CategoricalColumnProfile,
  type ColumnProfile as ProfileColumn,
  type LabelledScoreCounts,
  type NumericColumnProfile,
  PROFILE_SCHEMA,
  type Profile,
  type ProfileCalibration,
  type ProfileClassCalibration,
  type ProfilePrediction,
  REFERENCE_SAMPLE_FILE,
  type TimestampColumnProfile,
} from "./profile/profile.js";
export { fmix32, hashString } from "./random/hash.js";
export { createRng, type Rng, seedFromString } from "./random/rng.js";
export {
  type CardEvaluation,
  type CardGate,
  cardEvaluationSchema,
  cardGateSchema,
  type GateVerdict,
} from "./registry/card-results.js";
export { compareVersions, isVersion } from "./registry/compare-versions.js";
export { type ModelCardInput, renderModelCard } from "./registry/model-card.js";
export { latestOf, type PromotionPlanInput, planPromotion, versionAt } from "./registry/promotion-plan.js";
export {
  REGISTRY_FILE_SCHEMA,
  type RegistryFile,
  registryFileSchema,
  registryStateOf,
} from "./registry/registry-file.js";
export {
  aliasTag,
  environmentName,
  parseVersionTag,
  releaseName,
  versionOfTag,
  versionTag,
} from "./registry/registry-names.js";
export {
  type AssetFile,
  describeOperation,
  describePlan,
  type RegistryOperation,
  type RegistryPlan,
} from "./registry/registry-operation.js";
export type {
  DeploymentState,
  RegistryState,
  ReleaseState,
  VersionTagState,
} from "./registry/registry-state.js";
export {
  type ReleaseRecord,
  readReleaseRecord,
  releaseRecordComment,
  releaseRecordSchema,
} from "./registry/release-record.js";
export { planRollback, type RollbackPlanInput, rollbackTarget } from "./registry/rollback-plan.js";
export { escapeMarkdown, inlineCode } from "./report/escape.js";
export { formatNumber, formatWithInterval, sliceText } from "./report/evaluation-format.js";
export {
  describeSource,
  evaluationVerdict,
  headlineTable,
  REGRESSION_MARK,
  suppliedScoresNote,
} from "./report/evaluation-headline.js";
export {
  type EvaluationProvenance,
  evaluationProvenanceSchema,
  provenanceLines,
} from "./report/evaluation-provenance.js";
export {
  findRegressions,
  isSignificantRegression,
  type Regression,
} from "./report/evaluation-regressions.js";
export {
  type BaselineResolution,
  type BaselineResolver,
  type BaselineSource,
  classifyBaselineReference,
  EVALUATION_SCHEMA,
  type EvaluatedModel,
  type EvaluationResult,
  type EvaluationTimings,
  type SuppliedPredictions,
} from "./report/evaluation-result.js";
export { type RenderEvaluationOptions, renderEvaluationSection } from "./report/evaluation-section.js";
export { evaluationTimingLine } from "./report/evaluation-timing-line.js";
export {
  type MarkdownTableOptions,
  markdownTable,
  type TableCell,
  type TableColumn,
  tableRow,
} from "./report/markdown-table.js";
export { mermaidLabel, mermaidXyChart, type XyChartInput } from "./report/mermaid-xychart.js";
export { regressionCheck } from "./report/regression-check.js";
export {
  COMMENT_SECTIONS,
  type CommentSection,
  findMarker,
  mapSections,
  parseSections,
  renderStickyComment,
  type StickySection,
  upsertSection,
} from "./report/sticky-comment.js";
export {
  COMMENT_LIMIT,
  type FitOptions,
  fitCommentBody,
  type Omitted,
  truncateMarkdown,
} from "./report/sticky-fit.js";
export { neutralizeWorkflowCommands } from "./report/workflow-commands.js";
export { type Check, type CheckStatus, type FailOn, failsStep, worstStatus } from "./results/check.js";
export type {
  BaselineResult,
  Evaluation,
  GroupIntervals,
  GroupResult,
  IntervalMethod,
  MetricResult,
  MultiplicityAdjustment,
  SliceResult,
} from "./results/evaluation.js";
export { type ClassAgreement, createClassAgreement } from "./shadow/class-agreement.js";
export { createLargestDifferences, type LargestDifferences } from "./shadow/largest-differences.js";
export { createLatencyTally, type LatencyTally } from "./shadow/latency-tally.js";
export { type CompareOutcomesOptions, compareOutcomes } from "./shadow/outcome-comparison.js";
export { createOutcomeSample, type OutcomeSample } from "./shadow/outcome-sample.js";
export { renderShadowSection } from "./shadow/render-shadow-section.js";
export { createRequestIdFilter, type RequestIdFilter } from "./shadow/request-id-filter.js";
export { createScoreAgreement, type ScoreAgreement } from "./shadow/score-agreement.js";
export {
  createScoreDistributions,
  HISTOGRAM_BINS,
  PSI_BINS,
  type ScoreDistributions,
} from "./shadow/score-distributions.js";
export { shadowChart } from "./shadow/shadow-chart.js";
export { type ShadowMeasurements, shadowChecks } from "./shadow/shadow-checks.js";
export { DEFAULT_SHADOW_LIMITS, type ShadowLimits, shadowLimits } from "./shadow/shadow-limits.js";
export {
  type AgreementSummary,
  type BatchTiming,
  type BenchmarkBatch,
  type DecisionConfusion,
  type DistributionSummary,
  type IntervalValue,
  type LatencyPercentiles,
  type LatencySummary,
  type MulticlassAgreement,
  type OutcomeSummary,
  type Recommendation,
  type RegressionAgreement,
  type RequestDifference,
  SHADOW_SCHEMA,
  type ShadowResult,
  type SkewSummary,
  type SliceAgreementResult,
} from "./shadow/shadow-result.js";
export { shadowVerdict } from "./shadow/shadow-verdict.js";
export {
  createSliceAgreement,
  type SliceAgreement,
  type SliceAgreementOptions,
} from "./shadow/slice-agreement.js";
export { createValueAgreement, type ValueAgreement } from "./shadow/value-agreement.js";
export { createValueSkew, type SkewValue, type ValueSkew } from "./shadow/value-skew.js";
export {
  MAX_SHARDS,
  parseShard,
  parseShardFileName,
  type Shard,
  shardFileName,
  shardOf,
} from "./sharding/shard.js";
export { keyIdentity, rowIdentity, shardRows, takeRows } from "./sharding/shard-rows.js";
export * from "./site/index.js";
export {
  type AssignOptions,
  assignSlices,
  OTHER,
  type Slice,
  type SliceAssignment,
} from "./slicing/assign-slices.js";
export { binIndex, binLabel, binLabels, MISSING } from "./slicing/bin-label.js";
export { declaredValues } from "./slicing/declared-values.js";
export type { GroupIds } from "./slicing/group-ids.js";
export { type ResolvedSpec, resolveSpec } from "./slicing/slice-columns.js";
export { specColumns } from "./slicing/slice-spec.js";
export { cellText, cellValueText, compareParts } from "./slicing/slice-value.js";
export { aucVariance } from "./stats/auc-variance.js";
export { type CalibrationBin, calibrationCurve } from "./stats/calibration-curve.js";
export { alignCounts, type CategoryCounts } from "./stats/category-counts.js";
export { chiSquareSf } from "./stats/chi-square-sf.js";
export { type ChiSquareTestResult, chiSquareTest } from "./stats/chi-square-test.js";
export { confidenceSequence, dataFactorToDecide, mixtureHalfWidth } from "./stats/confidence-sequence.js";
export { type AdjustedMean, type CovariateMoments, cuped } from "./stats/cuped.js";
export { type IsotonicFit, isotonicRegression } from "./stats/isotonic-regression.js";
export { jensenShannonDistance } from "./stats/jensen-shannon-distance.js";
export { kolmogorovSf } from "./stats/kolmogorov-sf.js";
export { ksExactPValue } from "./stats/ks-exact-p-value.js";
export { ksTest } from "./stats/ks-test.js";
export {
  KS_EXACT_MAX_N,
  type KsMethod,
  type KsTestResult,
  ksTestFromCounts,
} from "./stats/ks-test-from-counts.js";
export { logGamma } from "./stats/log-gamma.js";
export { type Measurement, measured, notMeasured } from "./stats/measurement.js";
export { normalizedWassersteinDistance } from "./stats/normalized-wasserstein-distance.js";
export { nullRateChange } from "./stats/null-rate-change.js";
export { PSI_EPSILON, psi } from "./stats/psi.js";
export { quantileSorted } from "./stats/quantile.js";
export { regularizedGammaQ } from "./stats/regularized-gamma-q.js";
export { type SampleRatioTest, sequentialSrm } from "./stats/sequential-srm.js";
export { smirnovSf } from "./stats/smirnov-sf.js";
export { symmetricEigen } from "./stats/symmetric-eigen.js";
export { unseenShare } from "./stats/unseen-share.js";
export { wassersteinDistance } from "./stats/wasserstein-distance.js";
export { countValues, sortWeighted, type WeightedSample } from "./stats/weighted-sample.js";
export { wilsonInterval } from "./stats/wilson-interval.js";
export type { Batch, Column, ColumnKind, InvalidCell, TableSchema } from "./table/column.js";
export { concatFloat64 } from "./table/concat-float64.js";
export { dottedNameFix, featuresAtTop, nestedUnder, nestingObject } from "./table/nested-columns.js";
export {
  type ContractValidator,
  type ContractValidatorOptions,
  createContractValidator,
  LISTED,
  validateSummary,
} from "./validate/contract-validator.js";
export { kindsFromContract } from "./validate/kinds-from-contract.js";
export {
  formatValue,
  type RenderValidationOptions,
  renderValidationSection,
} from "./validate/render-validation.js";
export {
  type ColumnSummary,
  DISTINCT_CAP,
  type RowRef,
  type TableSummary,
  type Tally,
} from "./validate/table-summary.js";
export {
  type ColumnProfile,
  VALIDATION_SCHEMA,
  type ValidationResult,
} from "./validate/validation-result.js";
export { GAUNTLET_VERSION } from "./version.js";
