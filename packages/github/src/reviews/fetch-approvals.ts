import * as core from "@actions/core";
import { type ApprovalInput, formatUserError, type Review } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import type { PullRequestContext } from "../context.js";
import { codeownersApprovers } from "./codeowners-approvers.js";
import { listReviews } from "./list-reviews.js";
import { teamExists, teamMembersAmong } from "./team-members.js";
import { writersAmong } from "./writers.js";

/** The pull request and the manifest's `gate.approvals` to fetch approvals for. */
export interface ApprovalRequest {
  owner: string;
  repo: string;
  pullRequest: Pick<PullRequestContext, "number" | "headSha" | "baseSha" | "author">;
  /**
   * `gate.approvals.from`; without it, anyone with write access may approve; `codeowners`: the
   * owners CODEOWNERS (at the base commit) gives `manifestFile`.
   */
  from?: readonly string[] | "codeowners" | undefined;
  /** For error messages about `gate.approvals.from`. */
  manifestFile: string;
}

const login = (name: string) => name.replace(/^@/, "").toLowerCase();

/**
 * Everything `computeApprovals` needs, fetched from GitHub: every review (all pages), and for
 * the reviewers whose approval could count — an approval of the head commit by someone other
 * than the author — their team memberships (teams in `from`) or write access (no `from`).
 * Reviewers who cannot count are never looked up, which keeps a 300-review pull request to a
 * handful of calls. Writers who reviewed but not on the head commit are looked up too, so the
 * gate can name them as people who can approve again. A team in `from` that counted nobody and
 * does not exist (or is hidden from the token) is a `::warning` on the manifest: it counts nobody.
 *
 * @example
 * await fetchApprovals(client, { owner: "acme", repo: "models", pullRequest: ctx.pullRequest,
 *   from: ["octocat", "@acme/risk-leads"], manifestFile: "models/churn/model.yml" });
 * // { reviews: [...], headSha: "5e6f…", author: "dev", teamMembers: { "@acme/risk-leads": ["alice"] } }
 */
export async function fetchApprovals(client: GitHubClient, request: ApprovalRequest): Promise<ApprovalInput> {
  const { owner, repo, pullRequest } = request;
  const codeowners =
    request.from === "codeowners"
      ? await codeownersApprovers(client, {
          owner,
          repo,
          ref: pullRequest.baseSha,
          path: request.manifestFile,
          manifestFile: request.manifestFile,
        })
      : undefined;
  const from = codeowners ? codeowners.owners : (request.from as readonly string[] | undefined);
  const reviews = await listReviews(client, { owner, repo, pullNumber: pullRequest.number });
  const base: ApprovalInput = {
    reviews,
    headSha: pullRequest.headSha,
    author: pullRequest.author,
    ...(codeowners ? { codeowners } : {}),
  };
  const author = login(pullRequest.author);
  if (from) {
    const named = new Set(from.filter((p) => !p.includes("/")).map(login));
    const candidates = reviewers(
      reviews,
      (r) => r.state === "APPROVED" && r.commitId === pullRequest.headSha,
    ).filter((user) => login(user) !== author && !named.has(login(user)));
    const teamMembers: Record<string, string[]> = {};
    for (const team of from.filter((p) => p.includes("/"))) {
      // With no one to look up, the author is looked up and ignored: a token that cannot read
      // teams is then reported on the first run, not only once a team member has approved.
      const lookup = candidates.length > 0 ? candidates : [pullRequest.author];
      const members = await teamMembersAmong(client, team, lookup, request.manifestFile);
      teamMembers[team] = candidates.length > 0 ? members : [];
      if (members.length === 0 && !(await teamExists(client, team, request.manifestFile))) {
        const where = { file: request.manifestFile, field: "gate.approvals.from" };
        core.warning(
          formatUserError(
            `${team} does not exist, or this token cannot see it: it counts nobody's approval`,
            {
              ...where,
              fix: `check the organisation and team slug (https://github.com/orgs/${team.replace(/^@/, "").replace("/", "/teams/")}), or list the approvers as users`,
            },
          ),
          { file: request.manifestFile, title: "gauntlet: approvals team not found" },
        );
      }
    }
    return { ...base, teamMembers };
  }
  const candidates = reviewers(reviews, (r) => r.state === "APPROVED").filter(
    (user) => login(user) !== author,
  );
  return { ...base, writers: await writersAmong(client, { owner, repo }, candidates) };
}

/** Distinct reviewers with a review matching `keep`, in first-seen order. */
function reviewers(reviews: readonly Review[], keep: (review: Review) => boolean): string[] {
  const seen = new Map<string, string>();
  for (const review of reviews) {
    if (keep(review) && !seen.has(login(review.user))) seen.set(login(review.user), review.user);
  }
  return [...seen.values()];
}
