export { declaredVersion } from "./declared-version.js";
export {
  DURATION_PATTERN,
  isWindowWidth,
  parseDuration,
  parseWindowWidth,
  WINDOW_WIDTH_FIX,
} from "./duration.js";
export { EXAMPLE_MANIFEST_YAML } from "./example.js";
export { formatFieldPath } from "./field-path.js";
export { manifestJsonSchema } from "./json-schema.js";
export { formatProblem, ManifestError, type ManifestProblem } from "./manifest-error.js";
export { manifestRules } from "./manifest-rules.js";
export {
  ALL_METRICS,
  BINARY_METRICS,
  type MetricName,
  MULTICLASS_METRICS,
  metricsForTask,
  REGRESSION_METRICS,
  type Task,
} from "./metric-names.js";
export { MAX_MANIFEST_BYTES, manifestTooLarge, parseManifest } from "./parse-manifest.js";
export { renderManifestReference } from "./reference.js";
export {
  type ColumnContract,
  type DataContract,
  type GateRule,
  type Manifest,
  type ManifestInput,
  manifestSchema,
  type SliceSpec,
} from "./schema.js";
export { type BehaviourSpec, behaviourSchema } from "./schema-behaviour.js";
export { customMetricsOf, operatingSpecOf } from "./schema-operating.js";
export { type PredictionsSpec, predictionsSchema } from "./schema-predictions.js";
export { FINAL_STAGE, type Rollout, type RolloutCheck, rolloutSchema } from "./schema-rollout.js";
export { expandedValueCount, MAX_EXPANDED_YAML_VALUES } from "./yaml-expansion.js";
