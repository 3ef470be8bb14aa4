export { formatUserError, isUserError, UserError, type UserErrorLocation } from "./errors/user-error.js";
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
