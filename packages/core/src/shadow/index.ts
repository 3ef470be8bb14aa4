export { type ClassAgreement, createClassAgreement } from "./class-agreement.js";
export { createLargestDifferences, type LargestDifferences } from "./largest-differences.js";
export { createLatencyTally, type LatencyTally } from "./latency-tally.js";
export { type CompareOutcomesOptions, compareOutcomes } from "./outcome-comparison.js";
export { createOutcomeSample, type OutcomeSample } from "./outcome-sample.js";
export { renderShadowSection } from "./render-shadow-section.js";
export { createRequestIdFilter, type RequestIdFilter } from "./request-id-filter.js";
export { createScoreAgreement, type ScoreAgreement } from "./score-agreement.js";
export {
  createScoreDistributions,
  HISTOGRAM_BINS,
  PSI_BINS,
  type ScoreDistributions,
} from "./score-distributions.js";
export { shadowChart } from "./shadow-chart.js";
export { type ShadowMeasurements, shadowChecks } from "./shadow-checks.js";
export { DEFAULT_SHADOW_LIMITS, type ShadowLimits, shadowLimits } from "./shadow-limits.js";
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
} from "./shadow-result.js";
export { shadowVerdict } from "./shadow-verdict.js";
export {
  createSliceAgreement,
  type SliceAgreement,
  type SliceAgreementOptions,
} from "./slice-agreement.js";
export { createValueAgreement, type ValueAgreement } from "./value-agreement.js";
export { createValueSkew, type SkewValue, type ValueSkew } from "./value-skew.js";
