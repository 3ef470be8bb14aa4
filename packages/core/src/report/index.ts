export { escapeMarkdown, inlineCode } from "./escape.js";
export { formatNumber, formatWithInterval, sliceText } from "./evaluation-format.js";
export {
  describeSource,
  evaluationVerdict,
  headlineTable,
  REGRESSION_MARK,
  suppliedScoresNote,
} from "./evaluation-headline.js";
export {
  type EvaluationProvenance,
  evaluationProvenanceSchema,
  provenanceLines,
} from "./evaluation-provenance.js";
export {
  findRegressions,
  isSignificantRegression,
  type Regression,
} from "./evaluation-regressions.js";
export {
  type BaselineResolution,
  type BaselineResolver,
  type BaselineSource,
  classifyBaselineReference,
  EVALUATION_SCHEMA,
  type EvaluatedModel,
  type EvaluationResult,
  type EvaluationTimings,
  type SuppliedPredictions,
} from "./evaluation-result.js";
export { type RenderEvaluationOptions, renderEvaluationSection } from "./evaluation-section.js";
export { evaluationTimingLine } from "./evaluation-timing-line.js";
export {
  type MarkdownTableOptions,
  markdownTable,
  type TableCell,
  type TableColumn,
  tableRow,
} from "./markdown-table.js";
export { mermaidLabel, mermaidXyChart, type XyChartInput } from "./mermaid-xychart.js";
export { regressionCheck } from "./regression-check.js";
export {
  COMMENT_SECTIONS,
  type CommentSection,
  findMarker,
  mapSections,
  parseSections,
  renderStickyComment,
  type StickySection,
  upsertSection,
} from "./sticky-comment.js";
export {
  COMMENT_LIMIT,
  type FitOptions,
  fitCommentBody,
  type Omitted,
  truncateMarkdown,
} from "./sticky-fit.js";
export { neutralizeWorkflowCommands } from "./workflow-commands.js";
