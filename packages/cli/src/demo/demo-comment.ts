import {
  COMMENT_LIMIT,
  type CommentSection,
  fitCommentBody,
  renderStickyComment,
  upsertSection,
} from "@gauntlet/core";

/** One action's section of the sticky comment, in the order the actions run. */
export interface CommentWrite {
  section: CommentSection;
  markdown: string;
  /** Where the full report is, for the truncation note. */
  fullReport: string;
}

/**
 * The model's sticky pull request comment as the actions leave it: each action in turn splices
 * its section into the body (`upsertSection`, which renders the fixed section order) and fits the
 * body to GitHub's comment limit, exactly as `upsertStickyComment` does before writing.
 *
 * @example
 * assembleStickyComment("churn", [{ section: "data", markdown, fullReport: "demo-out/churn/validation.md" }]);
 * // "<!-- gauntlet:model=churn -->\n## gauntlet · churn\n\n<!-- gauntlet:section=data -->\n..."
 */
export function assembleStickyComment(model: string, writes: readonly CommentWrite[]): string {
  let body: string | undefined;
  for (const write of writes) {
    body = fitCommentBody(upsertSection(body, model, write.section, write.markdown), COMMENT_LIMIT, {
      fullReport: write.fullReport,
    });
  }
  return body ?? renderStickyComment(model, []);
}
