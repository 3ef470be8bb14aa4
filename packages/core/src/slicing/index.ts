export {
  type AssignOptions,
  assignSlices,
  OTHER,
  type Slice,
  type SliceAssigner,
  type SliceAssignment,
  sliceAssigner,
} from "./assign-slices.js";
export { binIndex, binLabel, binLabels, MISSING } from "./bin-label.js";
export { declaredValues } from "./declared-values.js";
export type { GroupIds } from "./group-ids.js";
export { type ResolvedSpec, resolveSpec } from "./slice-columns.js";
export { specColumns } from "./slice-spec.js";
export { cellText, cellValueText, compareParts } from "./slice-value.js";
