export { type DataFormat, detectFormat } from "./detect-format.js";
export { inferKind, inferThreshold } from "./infer-kind.js";
export {
  type DuplicateKey,
  type KeyedTable,
  type KeyedTableOptions,
  type KeyedValues,
  loadKeyedTable,
} from "./keyed-table.js";
export { parseBoolean } from "./parse-boolean.js";
export { parseNumber } from "./parse-number.js";
export { parseTimestamp } from "./parse-timestamp.js";
export { type ReadOptions, readTable, readTableSchema, readTableShape } from "./read-table.js";
export { type DataFile, globInside, resolveDataFiles, resolveDataPaths } from "./resolve-data-files.js";
export { isWithin, resolveInside } from "./resolve-inside.js";
export { estimateRows } from "./row-estimate.js";
export type { RowKeys } from "./row-key-hash.js";
export { scanAhead } from "./scan-ahead.js";
export { type SummaryLimits, summariseTable } from "./summarise-table.js";
export type { ReadBatch } from "./table-file.js";
export { writeParquet } from "./write-parquet.js";
