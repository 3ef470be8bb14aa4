export { type ChooseBaselineContext, chooseBaseline, offlineBaselineResolver } from "./choose-baseline.js";
export { type ColumnCollector, cellText, collectColumn } from "./column-collector.js";
export {
  type EvaluateOptions,
  type EvaluateOutcome,
  evaluateModel,
  finishOutcome,
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
export { encodeLabels, type LabelContext } from "./label-encoder.js";
export { type PreparedModel, type PrepareOptions, prepareModel } from "./prepare-model.js";
export { type ScoredRows, type ScoreRowsOptions, scoreRows } from "./score-rows.js";
