export { type ChooseBaselineContext, chooseBaseline, offlineBaselineResolver } from "./choose-baseline.js";
export { type CollectedColumns, collectBatches } from "./collect-batches.js";
export { type ColumnCollector, collectColumn } from "./column-collector.js";
export {
  type EvaluateOptions,
  evaluateModel,
  type ScoredEvaluation,
  scoreEvaluationData,
} from "./evaluate-model.js";
export {
  EVALUATION_PART_SCHEMA,
  type EvaluationPart,
  type EvaluationSettings,
  evaluateShard,
  evaluationSettings,
  mergeEvaluation,
} from "./evaluate-shard.js";
export { type EvaluateOutcome, finishOutcome, type OutcomeParts } from "./finish-outcome.js";
export { encodeLabels, type LabelContext, type LabelEncoder, labelEncoder } from "./label-encoder.js";
export { type PreparedModel, type PrepareOptions, prepareModel } from "./prepare-model.js";
export {
  type BatchSink,
  type ScoredBatch,
  type ScoredRows,
  type ScoreRowsOptions,
  scoreRows,
} from "./score-rows.js";
