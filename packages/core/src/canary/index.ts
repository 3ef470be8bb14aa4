export { rolloutCheck } from "./canary-checks.js";
export type {
  ArmSummary,
  CanaryCheck,
  CanaryObservation,
  CanaryResult,
  CanaryStatus,
  CanaryVerdict,
  CanaryWindow,
  WindowSums,
} from "./canary-result.js";
export { type CanaryInput, evaluateCanary } from "./evaluate-canary.js";
export {
  CANARY_LABEL,
  type CanaryIssueInput,
  canaryIssueMarker,
  planCanaryIssue,
} from "./plan-canary-issue.js";
export { renderCanaryReport } from "./render-canary-report.js";
export { type RolloutFile, rolloutFile, stagePayload } from "./rollout-manifest.js";
