export {
  BENCHMARK_ROWS,
  type BenchmarkOptions,
  type BenchmarkSample,
  batchRepeats,
  benchmarkBatches,
  createBenchmarkSample,
  type TimedModel,
} from "./benchmark-models.js";
export { compareShadow, type ShadowOutcome } from "./compare-shadow.js";
export { loadOfflineFeatures, type OfflineFeatures } from "./offline-features.js";
export {
  emptyLogCounts,
  type LogBatch,
  type LogCounts,
  type ReadShadowLogOptions,
  readShadowLog,
} from "./read-shadow-log.js";
export { loadShadowModels, recheckKinds, type ShadowModel } from "./shadow-models.js";
export { resolveShadowFields, type ShadowOptions } from "./shadow-options.js";
export { type PlanInput, planShadowColumns, type ShadowFields, type ShadowPlan } from "./shadow-plan.js";
export {
  createShadowTally,
  LARGEST,
  OUTCOME_SAMPLE_ROWS,
  REPLAY_TOLERANCE,
  type ShadowTallyOptions,
} from "./shadow-tally.js";
