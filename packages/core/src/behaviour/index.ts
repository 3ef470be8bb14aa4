export { behaviourChecks, behaviourTest } from "./behaviour-checks.js";
export {
  BEHAVIOUR_SCHEMA,
  type BehaviourExample,
  type BehaviourKind,
  type BehaviourMeasure,
  type BehaviourResult,
  type BehaviourTask,
  type BehaviourTest,
  type CellValue,
  type Disagreement,
  MAX_EXAMPLES,
} from "./behaviour-result.js";
export { checkBehaviourSpec, directionalClasses, type SpecContext } from "./check-behaviour-spec.js";
export {
  type DirectionalProbes,
  type DirectionalSpec,
  directionalProbes,
  judgeDirectional,
} from "./directional-test.js";
export { largestDisagreements } from "./disagreements.js";
export {
  type EdgeCase,
  type EdgeOutcome,
  edgeCaseOptions,
  edgeCases,
  judgeEdgeCases,
  UNSEEN_CATEGORY,
} from "./edge-cases.js";
export {
  type InvarianceSpec,
  invarianceProbes,
  invarianceValues,
  judgeInvariance,
} from "./invariance-test.js";
export {
  type CaseColumns,
  type CasesOrigin,
  judgeKnownCases,
  type KnownCase,
  readKnownCases,
} from "./known-cases.js";
export {
  classPredictions,
  confidence,
  decision,
  type Predictions,
  predictionChange,
  singlePredictions,
} from "./predictions.js";
export { cellValue, repeatBatch, rowValues, setCell } from "./probe-batch.js";
export { renderBehaviourSection } from "./render-behaviour-section.js";
export {
  judgeOod,
  judgeRobustness,
  oodProbes,
  type RobustnessSpec,
  robustnessProbes,
} from "./robustness-test.js";
