export { formatUserError, isUserError, UserError, type UserErrorLocation } from "./errors/user-error.js";
export { DURATION_PATTERN, parseDuration } from "./manifest/duration.js";
export { EXAMPLE_MANIFEST_YAML } from "./manifest/example.js";
export { formatFieldPath } from "./manifest/field-path.js";
export { manifestJsonSchema } from "./manifest/json-schema.js";
export { formatProblem, ManifestError, type ManifestProblem } from "./manifest/manifest-error.js";
export { manifestRules } from "./manifest/manifest-rules.js";
export {
  ALL_METRICS,
  BINARY_METRICS,
  type MetricName,
  MULTICLASS_METRICS,
  metricsForTask,
  REGRESSION_METRICS,
  type Task,
} from "./manifest/metric-names.js";
export { parseManifest } from "./manifest/parse-manifest.js";
export { renderManifestReference } from "./manifest/reference.js";
export {
  type ColumnContract,
  type DataContract,
  type GateRule,
  type Manifest,
  type ManifestInput,
  manifestSchema,
  type SliceSpec,
} from "./manifest/schema.js";
export { escapeMarkdown, inlineCode } from "./report/escape.js";
export {
  COMMENT_SECTIONS,
  type CommentSection,
  findMarker,
  mapSections,
  parseSections,
  renderStickyComment,
  type StickySection,
  upsertSection,
} from "./report/sticky-comment.js";
export {
  COMMENT_LIMIT,
  type FitOptions,
  fitCommentBody,
  type Omitted,
  truncateMarkdown,
} from "./report/sticky-fit.js";
export { type Check, type CheckStatus, type FailOn, failsStep, worstStatus } from "./results/check.js";
export type { Batch, Column, ColumnKind, InvalidCell, TableSchema } from "./table/column.js";
export {
  type ContractValidator,
  type ContractValidatorOptions,
  createContractValidator,
} from "./validate/contract-validator.js";
export { kindsFromContract } from "./validate/kinds-from-contract.js";
export {
  formatValue,
  type RenderValidationOptions,
  renderValidationSection,
} from "./validate/render-validation.js";
export {
  type ColumnProfile,
  VALIDATION_SCHEMA,
  type ValidationResult,
} from "./validate/validation-result.js";
