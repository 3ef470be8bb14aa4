export { type CheckSignatureOptions, checkSignature, type SignatureMapping } from "./check-signature.js";
export { FEED_TYPES, type FeedType, feedProblem } from "./feed-types.js";
export type { ColumnKinds, InputFeed } from "./input-plan.js";
export { type LoadModelOptions, loadModel, type ScoringModel } from "./load-model.js";
export { type Dim, describeValue, type ModelValue } from "./model-value.js";
export { type OnnxMetadata, readOnnxMetadata } from "./onnx-metadata.js";
export type { OutputPlan } from "./output-plan.js";
export type { Scores } from "./read-outputs.js";
export { onnxruntimeVersion } from "./runtime-version.js";
export {
  DEFAULT_SUB_BATCH_ROWS,
  type ScoredBatch,
  type ScoreOptions,
  scoreBatch,
  scoreBatches,
} from "./score-batch.js";
export { type BadScore, emptyHealth, healthError, mergeHealth, type ScoreHealth } from "./score-health.js";
export { type ScoringTiming, type TimingOptions, timeScoring } from "./time-scoring.js";
export { type ArtefactLocation, sha256File, verifyArtefact } from "./verify-artefact.js";
