import type { Review } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

/** The pull request whose reviews to read. */
export interface PullTarget {
  owner: string;
  repo: string;
  pullNumber: number;
}

const STATES = new Set<string>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

/**
 * Every review of a pull request, walking all pages (a busy pull request easily has more than
 * 100), in GitHub's chronological order. Reviews by deleted users (`user: null`) and states this
 * version of GitHub added after gauntlet was written are left out: neither can approve.
 *
 * @example
 * await listReviews(client, { owner: "acme", repo: "models", pullNumber: 7 });
 * // [{ user: "octocat", state: "APPROVED", commitId: "5e6f…", submittedAt: "2024-05-01T10:00:00Z" }]
 */
export async function listReviews(client: GitHubClient, target: PullTarget): Promise<Review[]> {
  const { owner, repo, pullNumber } = target;
  const reviews = await withPermission(
    { action: `read the reviews of pull request #${pullNumber}`, permission: "pull-requests: read" },
    () =>
      client.paginate(client.rest.pulls.listReviews, { owner, repo, pull_number: pullNumber, per_page: 100 }),
  );
  const out: Review[] = [];
  for (const review of reviews) {
    if (!review.user || !STATES.has(review.state)) continue;
    out.push({
      user: review.user.login,
      state: review.state as Review["state"],
      commitId: review.commit_id ?? "",
      // A pending review has no submission time; it never approves, so its place does not matter.
      submittedAt: review.submitted_at ?? "",
    });
  }
  return out;
}
