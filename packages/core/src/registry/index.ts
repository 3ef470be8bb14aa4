export {
  type CardEvaluation,
  type CardGate,
  cardEvaluationSchema,
  cardGateSchema,
  type GateVerdict,
} from "./card-results.js";
export { compareVersions, isVersion } from "./compare-versions.js";
export { type ModelCardInput, renderModelCard } from "./model-card.js";
export { latestOf, type PromotionPlanInput, planPromotion, versionAt } from "./promotion-plan.js";
export {
  REGISTRY_FILE_SCHEMA,
  type RegistryFile,
  registryFileSchema,
  registryStateOf,
} from "./registry-file.js";
export {
  aliasTag,
  environmentName,
  parseVersionTag,
  releaseName,
  versionOfTag,
  versionTag,
} from "./registry-names.js";
export {
  type AssetFile,
  describeOperation,
  describePlan,
  type RegistryOperation,
  type RegistryPlan,
} from "./registry-operation.js";
export type {
  DeploymentState,
  RegistryState,
  ReleaseState,
  VersionTagState,
} from "./registry-state.js";
export {
  type ReleaseRecord,
  readReleaseRecord,
  releaseRecordComment,
  releaseRecordSchema,
} from "./release-record.js";
export { planRollback, type RollbackPlanInput, rollbackTarget } from "./rollback-plan.js";
