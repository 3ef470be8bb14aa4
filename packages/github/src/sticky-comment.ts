import {
  COMMENT_LIMIT,
  type CommentSection,
  findMarker,
  fitCommentBody,
  upsertSection,
} from "@gauntlet/core";
import type { GitHubClient } from "./client.js";
import { withPermission } from "./permission.js";

/** Which section of which model's comment to write, on which pull request. */
export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  model: string;
  section: CommentSection;
  /** The section's Markdown; data-derived text in it must already be escaped. */
  markdown: string;
  /** Only adopt marker comments by this login (e.g. `github-actions[bot]`), so nobody can plant one. */
  author?: string;
  /** Default: GitHub's 65,536 characters. */
  limit?: number;
  /** Where the full report is, for the truncation note. */
  fullReport?: string;
}

/** The comment that now holds the section. `created` and `updated` are both false when nothing changed. */
export interface StickyCommentResult {
  id: number;
  url: string;
  created: boolean;
  updated: boolean;
}

interface IssueComment {
  id: number;
  html_url: string;
  body?: string | null;
  user: { login: string } | null;
}

/**
 * Writes one section of a model's sticky pull request comment: finds the comment by its hidden
 * marker (walking every page of comments, oldest first), splices the section in, fits the body
 * to GitHub's limit, and updates it only if the body changed; creates it otherwise. If a
 * concurrent job created the comment at the same moment, the newer copy is merged into the
 * older one and deleted, so a pull request never keeps two comments for one model.
 *
 * @example
 * const { url } = await upsertStickyComment(client, {
 *   owner: "acme", repo: "models", issueNumber: 12, model: "churn", section: "data", markdown,
 * });
 * // url: "https://github.com/acme/models/pull/12#issuecomment-1"
 */
export async function upsertStickyComment(
  client: GitHubClient,
  target: StickyCommentTarget,
): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber: issue_number } = target;
  const need = { action: `comment on pull request #${issue_number}`, permission: "pull-requests: write" };
  const render = (existing: string | undefined) =>
    fitCommentBody(
      upsertSection(existing, target.model, target.section, target.markdown),
      target.limit ?? COMMENT_LIMIT,
      target.fullReport === undefined ? {} : { fullReport: target.fullReport },
    );

  const existing = await findStickyComment(client, target);
  if (existing) {
    const body = render(existing.body ?? "");
    if (body === existing.body)
      return { id: existing.id, url: existing.html_url, created: false, updated: false };
    await withPermission(need, () =>
      client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }),
    );
    return { id: existing.id, url: existing.html_url, created: false, updated: true };
  }

  const { data: created } = await withPermission(need, () =>
    client.rest.issues.createComment({ owner, repo, issue_number, body: render(undefined) }),
  );
  // Two jobs of one run (say validate-data and evaluate-slices) can both find no comment and both
  // create one; the loser folds its section into the older comment and removes its own.
  const oldest = await findStickyComment(client, target);
  if (!oldest || oldest.id === created.id) {
    return { id: created.id, url: created.html_url, created: true, updated: false };
  }
  const merged = render(oldest.body ?? "");
  if (merged !== oldest.body) {
    await withPermission(need, () =>
      client.rest.issues.updateComment({ owner, repo, comment_id: oldest.id, body: merged }),
    );
  }
  await withPermission(need, () => client.rest.issues.deleteComment({ owner, repo, comment_id: created.id }));
  return { id: oldest.id, url: oldest.html_url, created: false, updated: merged !== oldest.body };
}

/**
 * The oldest comment on the pull request that carries the model's marker, or `undefined`.
 * Pages are walked until the first match; GitHub lists issue comments oldest first.
 *
 * @example
 * const comment = await findStickyComment(client, { owner, repo, issueNumber: 12, model: "churn" });
 * comment?.id; // 1
 */
export async function findStickyComment(
  client: GitHubClient,
  target: Pick<StickyCommentTarget, "owner" | "repo" | "issueNumber" | "model" | "author">,
): Promise<IssueComment | undefined> {
  const marker = findMarker(target.model);
  let found: IssueComment | undefined;
  await client.paginate(
    client.rest.issues.listComments,
    { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 },
    (response, done) => {
      found ??= response.data.find(
        (comment) =>
          (comment.body ?? "").startsWith(marker) &&
          (target.author === undefined || comment.user?.login === target.author),
      );
      if (found) done();
      return [];
    },
  );
  return found;
}
