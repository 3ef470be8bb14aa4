export { type BootstrapInput, bootstrapMetrics } from "./bootstrap/bootstrap-metrics.js";
export {
  type BaselineResult,
  type EvaluateInput,
  type Evaluation,
  evaluate,
  type GroupResult,
  type MetricResult,
  type SliceResult,
} from "./bootstrap/evaluate.js";
export { type Interval, percentileInterval } from "./bootstrap/percentile-interval.js";
export { fillPoissonWeights, poissonWeight } from "./bootstrap/poisson-weight.js";
export { fmix32, rowIdHash } from "./bootstrap/row-hash.js";
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
export { accuracy } from "./metrics/accuracy.js";
export { averagePrecision } from "./metrics/average-precision.js";
export { brier } from "./metrics/brier.js";
export { ece } from "./metrics/ece.js";
export { ECE_BINS, eceBin } from "./metrics/ece-bin.js";
export { f1 } from "./metrics/f1.js";
export { f1Macro } from "./metrics/f1-macro.js";
export { f1Weighted } from "./metrics/f1-weighted.js";
export { logLoss } from "./metrics/log-loss.js";
export { mae } from "./metrics/mae.js";
export { mape } from "./metrics/mape.js";
export type { MetricOptions, MetricValue } from "./metrics/metric-value.js";
export { precision } from "./metrics/precision.js";
export { r2 } from "./metrics/r2.js";
export { recall } from "./metrics/recall.js";
export { type ComputeOptions, METRICS, type MetricDefinition } from "./metrics/registry.js";
export { rmse } from "./metrics/rmse.js";
export { rocAuc } from "./metrics/roc-auc.js";
export { createRng, type Rng, seedFromString } from "./random/rng.js";
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
export {
  type AssignOptions,
  assignSlices,
  OTHER,
  type Slice,
  type SliceAssignment,
} from "./slicing/assign-slices.js";
export { binIndex, binLabel, binLabels, MISSING } from "./slicing/bin-label.js";
export { specColumns } from "./slicing/slice-spec.js";
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
