export { formatUserError, isUserError, UserError, type UserErrorLocation } from "./errors/user-error.js";
export { escapeMarkdown, inlineCode } from "./report/escape.js";
export { type Check, type CheckStatus, type FailOn, failsStep, worstStatus } from "./results/check.js";
export type { Batch, Column, ColumnKind, InvalidCell, TableSchema } from "./table/column.js";
