export type { Batch, Column, ColumnKind, InvalidCell, TableSchema } from "./column.js";
export { concatFloat64 } from "./concat-float64.js";
export { dottedNameFix, featuresAtTop, nestedUnder, nestingObject } from "./nested-columns.js";
