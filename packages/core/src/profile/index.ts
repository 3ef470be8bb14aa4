export { countsFromSketch, quantileEdges } from "./bins.js";
export {
  type ColumnDrift,
  type CompareColumnOptions,
  compareColumn,
  type DriftLevel,
} from "./compare-column.js";
export {
  createProfileBuilder,
  type ProfileBuilder,
  type ProfileBuilderOptions,
} from "./create-profile-builder.js";
export {
  DEFAULT_THRESHOLDS,
  type DriftMethod,
  type DriftThresholds,
  deriveThresholds,
  MIN_THRESHOLDS,
} from "./drift-thresholds.js";
export {
  createKllSketch,
  type KllSketch,
  kllMerge,
  kllQuantile,
  kllRank,
  kllUpdate,
  kllWeighted,
} from "./kll-sketch.js";
export { type MergeProfilesOptions, mergeProfiles } from "./merge-profiles.js";
export {
  type CategoricalColumnProfile,
  type ColumnProfile as ProfileColumn,
  type LabelledScoreCounts,
  type NumericColumnProfile,
  PROFILE_SCHEMA,
  type Profile,
  type ProfileCalibration,
  type ProfileClassCalibration,
  type ProfilePrediction,
  REFERENCE_SAMPLE_FILE,
  type TimestampColumnProfile,
} from "./profile.js";
