export {
  CHECK_RUN_TEXT_LIMIT,
  type CheckRunConclusion,
  checkRunConclusion,
  renderCheckRunOutput,
} from "./check-run-output.js";
export { type CodeownersRule, codeownersOf, parseCodeowners } from "./codeowners.js";
export {
  type ApprovalInput,
  type ComputeApprovalsInput,
  computeApprovals,
  type Review,
} from "./compute-approvals.js";
export { evaluateGate, type GateInput } from "./evaluate-gate.js";
export { fairnessRequests, fairnessRuleCheck } from "./fairness-rule.js";
export { approvalLine } from "./gate-reasons.js";
export {
  GATE_SCHEMA,
  type GateApprovals,
  type GateCheck,
  type GateComparison,
  type GateRequirement,
  type GateResult,
  type IgnoredApproval,
  type SliceKey,
} from "./gate-result.js";
export {
  type ExpectedModel,
  RESULT_FILES,
  type ResultKind,
  readResultFile,
} from "./read-result-file.js";
export { approvalsText, renderGateSection } from "./render-gate-section.js";
export {
  type ChecksFile,
  checksFileSchema,
  type EvaluationFile,
  evaluationFileSchema,
} from "./result-files.js";
