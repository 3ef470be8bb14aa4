export {
  actionsLog,
  createGitHubClient,
  type GitHubClient,
  type GitHubClientOptions,
  type GitHubLog,
} from "./client.js";
export { type PullRequestContext, type RunContext, readRunContext } from "./context.js";
export { booleanInput, commonInputs, inputEnvName, readInputs } from "./inputs.js";
export { type PermissionNeed, permissionError, withPermission } from "./permission.js";
export {
  type AnnotateOptions,
  annotate,
  SUMMARY_LIMIT_BYTES,
  type SummaryOptions,
  setOutputs,
  writeSummary,
} from "./publish.js";
export { type ModelResultToPublish, publishModelResult } from "./publish-model-result.js";
export { reportFailure, runAction } from "./run-action.js";
export {
  findStickyComment,
  type StickyCommentResult,
  type StickyCommentTarget,
  upsertStickyComment,
} from "./sticky-comment.js";
