export { type AuditOptions, auditRequest } from "./audit/audit-request.js";
export {
  type FindRequestOptions,
  findLoggedRequest,
  type LoggedRequest,
} from "./audit/find-logged-request.js";
export { AUDIT_TOLERANCE, type PredictionReplay, replayPrediction } from "./audit/replay-prediction.js";
export { type BehaviourOptions, type BehaviourOutcome, checkBehaviour } from "./behaviour/check-behaviour.js";
export { type CanaryArms, readCanaryLog } from "./canary/read-canary-log.js";
export {
  type CanaryOutcome,
  type CanaryPosition,
  rolloutOf,
  runCanaryCheck,
} from "./canary/run-canary-check.js";
export { type DriftFields, driftFields } from "./drift/drift-fields.js";
export { type DriftCheckOptions, type DriftSetup, driftSetup, scanLogsAhead } from "./drift/drift-setup.js";
export { DRIFT_PART_SCHEMA, type DriftPart, type DriftSettings, driftShard } from "./drift/drift-shard.js";
export { mergeDrift } from "./drift/merge-drift.js";
export { type DriftCheckOutcome, runDriftCheck } from "./drift/run-drift-check.js";
export {
  chooseBaseline,
  EVALUATION_PART_SCHEMA,
  type EvaluateOptions,
  type EvaluateOutcome,
  type EvaluationPart,
  encodeLabels,
  evaluateModel,
  evaluateShard,
  mergeEvaluation,
  offlineBaselineResolver,
} from "./evaluate/index.js";
export { type GateOptions, type GateOutcome, gateModel } from "./gate/gate-model.js";
export { isManifestGlob, type LoadedManifest, loadManifest, resolveManifestPaths } from "./load-manifest.js";
export {
  type ModelStep,
  type ModelStepPlace,
  type ModelStepRun,
  modelShardStep,
  modelStep,
  type ShardOutcome,
  type StepOutcome,
} from "./model-step.js";
export { buildReferenceProfile, type ReferenceProfileOptions } from "./promote/build-profile.js";
export {
  type LocalPromotion,
  type LocalPromotionOptions,
  localGateRefusal,
  planLocalPromotion,
} from "./promote/plan-local-promotion.js";
export { type PreparedPromotion, preparePromotion } from "./promote/prepare-promotion.js";
export { readRegistryFile } from "./promote/read-registry-file.js";
export { type ReleaseSubject, releaseSubjects, writeSubjectChecksums } from "./promote/release-subjects.js";
export { type RolloutRelease, rolloutRelease } from "./promote/rollout-release.js";
export {
  type LoadedReference,
  loadReference,
  releaseReference,
  sourceOf,
} from "./reference/load-reference.js";
export { parseProfile } from "./reference/parse-profile.js";
export { isReleaseAlias } from "./reference/release-alias.js";
export { MAX_RESULT_BYTES, type ResultKind, readJsonFile, resultPath, writeResult } from "./result-files.js";
export { compareShadow, type ShadowOptions, type ShadowOutcome } from "./shadow/index.js";
export { type PartEnvelope, readShardParts, requireSame, type ShardPart, writePart } from "./shard-parts.js";
export { type OfflineRegistry, offlineSnapshot } from "./site/offline-snapshot.js";
export { writeSite } from "./site/write-site.js";
export { type ValidateOptions, type ValidateOutcome, validateData } from "./validate.js";
