export * from "./audit/index.js";
export * from "./behaviour/index.js";
export {
  type BootstrapInput,
  bootstrapMetrics,
  type ReplicateRunner,
} from "./bootstrap/bootstrap-metrics.js";
export { runChunksAhead, type WalkAhead } from "./bootstrap/chunks-ahead.js";
export {
  type EvaluateInput,
  evaluate,
  evaluationSlices,
} from "./bootstrap/evaluate.js";
export {
  gaussianMaxima,
  type MaximaJob,
  type MaximaRunner,
  maximaHere,
  maximaLength,
  runMaxima,
} from "./bootstrap/gaussian-maxima.js";
export {
  type InfluencePlan,
  type InfluenceRunner,
  RANK_BYTES,
  runChunks,
} from "./bootstrap/influence-chunks.js";
export {
  GAUSSIAN_MIN_CLASS_COUNT,
  GAUSSIAN_MIN_COUNT,
  type GroupMoments,
  INFLUENCE_METRICS,
  influenceMoments,
} from "./bootstrap/influence-moments.js";
export { type Interval, percentileInterval } from "./bootstrap/percentile-interval.js";
export { inBootstrap, type PhaseClock } from "./bootstrap/phase-clock.js";
export { pointTallies, type TallyRunner, tallyHere } from "./bootstrap/point-tallies.js";
export { fillPoissonWeights, poissonWeight } from "./bootstrap/poisson-weight.js";
export { type ChunkWalk, chunkWalks } from "./bootstrap/rank-influence.js";
export { rowIdHash } from "./bootstrap/row-hash.js";
export {
  type FamilyMember,
  type GaussianBlock,
  type SupTIntervals,
  supTIntervals,
} from "./bootstrap/sup-t-intervals.js";
export * from "./canary/index.js";
export * from "./drift/index.js";
export * from "./errors/index.js";
export * from "./gate/index.js";
export * from "./manifest/index.js";
export { accuracy } from "./metrics/accuracy.js";
export { averagePrecision } from "./metrics/average-precision.js";
export { type BinaryPassData, binaryPassFrom, type PassData, rowLosses } from "./metrics/binary-pass.js";
export { brier } from "./metrics/brier.js";
export { type CountPassData, countPassFrom, prepareCountPass, rowPassFrom } from "./metrics/count-pass.js";
export { ece } from "./metrics/ece.js";
export { ECE_BINS, eceBin } from "./metrics/ece-bin.js";
export { f1 } from "./metrics/f1.js";
export { f1Macro } from "./metrics/f1-macro.js";
export { f1Weighted } from "./metrics/f1-weighted.js";
export { type PairwiseDecision, pairwiseDecision, type RateGroups } from "./metrics/fairness-decision.js";
export { maxTCritical } from "./metrics/fairness-max-t.js";
export { falsePositiveRate } from "./metrics/false-positive-rate.js";
export { logLoss } from "./metrics/log-loss.js";
export { mae } from "./metrics/mae.js";
export { mape } from "./metrics/mape.js";
export type { MetricOptions, MetricValue } from "./metrics/metric-value.js";
export { CHOSEN_ON_DATA, type OperatingMetric, operatingMetric } from "./metrics/operating-metrics.js";
export type { OperatingSpec } from "./metrics/operating-point.js";
export { precision } from "./metrics/precision.js";
export { prepareBinaryPass } from "./metrics/prepare-binary-pass.js";
export { r2 } from "./metrics/r2.js";
export { recall } from "./metrics/recall.js";
export { type ComputeOptions, METRICS, type MetricDefinition } from "./metrics/registry.js";
export { rmse } from "./metrics/rmse.js";
export { rocAuc } from "./metrics/roc-auc.js";
export { selectionRate } from "./metrics/selection-rate.js";
export * from "./monitoring/index.js";
export * from "./profile/index.js";
export * from "./random/index.js";
export * from "./registry/index.js";
export * from "./report/index.js";
export * from "./results/index.js";
export * from "./shadow/index.js";
export * from "./sharding/index.js";
export * from "./site/index.js";
export * from "./slicing/index.js";
export * from "./stats/index.js";
export * from "./table/index.js";
export * from "./validate/index.js";
export { GAUNTLET_VERSION } from "./version.js";
