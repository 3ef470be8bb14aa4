export { gateCheckRunState, upsertGateCheckRun } from "./check-runs/gate-check-run.js";
export {
  type CheckRunState,
  type CheckRunTarget,
  type CheckRunWritten,
  upsertCheckRun,
} from "./check-runs/upsert-check-run.js";
export {
  actionsLog,
  createGitHubClient,
  type GitHubClient,
  type GitHubClientOptions,
  type GitHubLog,
} from "./client.js";
export { type PullRequestContext, type RunContext, readRunContext } from "./context.js";
export {
  checkVerdict,
  finishModelRun,
  forEachModel,
  gateVerdict,
  type ModelRun,
  type StepVerdict,
} from "./for-each-model.js";
export { describeRequest, githubError, isRequestFailure, type PermissionNeed } from "./github-error.js";
export { booleanInput, commonInputs, inputEnvName, readInputs } from "./inputs.js";
export { type AppliedDriftPlan, applyDriftPlan } from "./issues/apply-drift-plan.js";
export { type FoundDriftIssue, findDriftIssue, findMarkedIssue } from "./issues/find-drift-issue.js";
export { withPermission } from "./permission.js";
export {
  type AnnotateOptions,
  annotate,
  SUMMARY_LIMIT_BYTES,
  type SummaryOptions,
  setOutputs,
  writeSummary,
} from "./publish.js";
export {
  type ModelResultToPublish,
  type ModelSection,
  modelPublisher,
  type PublishTarget,
  publishModelResult,
} from "./publish-model-result.js";
export { type ApplyOptions, applyPlan } from "./registry/apply-plan.js";
export {
  type BumpedManifest,
  bumpedManifests,
  COMPARE_FILE_LIMIT,
  type ManifestAtHead,
} from "./registry/bumped-manifests.js";
export {
  type CanaryPosition,
  type CanaryTarget,
  expandCanary,
  type RolloutSnapshot,
  readCanaryPosition,
  readRolloutSnapshot,
  rollbackCanary,
  verifyCanaryPosition,
} from "./registry/canary-rollout.js";
export { type ChangedFile, changedFiles } from "./registry/changed-files.js";
export { downloadReleaseProfile, MAX_PROFILE_BYTES } from "./registry/download-release-profile.js";
export {
  type AliasTarget,
  type BaselineRelease,
  type FindReleaseOptions,
  findAliasRelease,
  findVersionRelease,
  releaseAtAlias,
} from "./registry/find-baseline-release.js";
export { findGateVerdict, type GateLookup, mergedPullRequest } from "./registry/gate-verdict.js";
export { AliasMovedError, moveAlias } from "./registry/move-alias.js";
export {
  type PromotionRequest,
  planModelPromotion,
  promoteModel,
  type RegistryRunOptions,
} from "./registry/promote-model.js";
export {
  type RegistryTarget,
  readAlias,
  readDeployments,
  readRegistryState,
} from "./registry/read-registry.js";
export {
  downloadAsset,
  type RegistryResolverOptions,
  registryBaselineResolver,
} from "./registry/registry-baseline-resolver.js";
export { type ReleaseLookupOptions, registryReleaseLookup } from "./registry/release-lookup.js";
export { type RollbackRequest, rollbackModel } from "./registry/rollback-model.js";
export { peelToCommit, type RepoRef, tagCommit } from "./registry/tag-commit.js";
export { type ApprovalRequest, fetchApprovals } from "./reviews/fetch-approvals.js";
export { gateApprovals } from "./reviews/gate-approvals.js";
export { listReviews, type PullTarget } from "./reviews/list-reviews.js";
export { teamMembersAmong } from "./reviews/team-members.js";
export { writersAmong } from "./reviews/writers.js";
export { reportFailure, runAction } from "./run-action.js";
export {
  type ActionSetup,
  type ModelAction,
  type ModelStepOf,
  type ModelStepRunOf,
  modelAction,
  runModelAction,
} from "./run-model-action.js";
export { shardInputs, shardMode } from "./shard-inputs.js";
export { readSiteSnapshot, type SiteSource } from "./site/read-site-snapshot.js";
export {
  findStickyComment,
  type StickyCommentResult,
  type StickyCommentTarget,
  upsertStickyComment,
} from "./sticky-comment.js";
export { withPullRequest } from "./trusted/pull-request-of-run.js";
export {
  RUN_RECORD_FILE,
  type RunRecord,
  recordMismatch,
  writeRunRecord,
} from "./trusted/run-record.js";
export {
  downloadPullRequestResults,
  downloadTrustedResults,
  MAX_RESULTS_ARTIFACT_BYTES,
  type TrustedResults,
  type TrustedResultsRequest,
  trustedResultsArtifact,
  untrustedBecause,
} from "./trusted/trusted-results.js";
export { type ActionPaths, actionPaths } from "./workspace.js";
