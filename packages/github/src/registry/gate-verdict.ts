import { type GateVerdict, UserError } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

/** Which gate to look up. */
export interface GateLookup {
  owner: string;
  repo: string;
  model: string;
  /** The pushed commit: the merge of the pull request, or its head when it was fast-forwarded. */
  commit: string;
  manifestFile: string;
}

/**
 * Finds the merged pull request of `commit` and checks that the gate passed on its head commit:
 * check run `gauntlet/<model>` (the newest one) concluded `success`. Returns the verdict with the
 * approvers, or throws a {@link UserError} saying what is missing and how to proceed.
 *
 * @example
 * const verdict = await findGateVerdict(client, { owner, repo, model: "churn", commit, manifestFile });
 * // { pullNumber: 9, headSha: "5e6f…", conclusion: "success", approvers: ["octocat"] }
 */
export async function findGateVerdict(client: GitHubClient, lookup: GateLookup): Promise<GateVerdict> {
  const { owner, repo, model, commit } = lookup;
  const check = `gauntlet/${model}`;
  const skip = "or set `require-gate: false` on the promote step to release without the gate";
  const pull = await mergedPullRequest(client, { owner, repo, commit });
  if (!pull) {
    throw new UserError(
      `commit ${commit.slice(0, 7)} is not the merge of a pull request, so the gate ${check} cannot be verified`,
      {
        file: lookup.manifestFile,
        fix: `release models by merging their pull request (the push of the merge runs promote), ${skip}`,
      },
    );
  }
  const headSha = pull.head.sha;
  const { data } = await withPermission(
    { action: `read the check runs of ${headSha}`, permission: "checks: read" },
    () =>
      client.rest.checks.listForRef({
        owner,
        repo,
        ref: headSha,
        check_name: check,
        filter: "latest",
        per_page: 100,
      }),
  );
  const run = data.check_runs[0];
  const where = {
    file: lookup.manifestFile,
    fix: `run release-gate on pull request #${pull.number} until it passes, ${skip}`,
  };
  if (!run)
    throw new UserError(
      `the gate never ran: no check run ${check} on ${headSha.slice(0, 7)}, the head of pull request #${pull.number}`,
      where,
    );
  if (run.status !== "completed")
    throw new UserError(
      `the gate has not finished: check run ${check} is ${run.status} on pull request #${pull.number}`,
      where,
    );
  if (run.conclusion !== "success") {
    throw new UserError(
      `the gate did not pass: check run ${check} concluded ${run.conclusion} on pull request #${pull.number}`,
      where,
    );
  }
  const reviews = await withPermission(
    { action: `read the reviews of #${pull.number}`, permission: "pull-requests: read" },
    () =>
      client.paginate(client.rest.pulls.listReviews, {
        owner,
        repo,
        pull_number: pull.number,
        per_page: 100,
      }),
  );
  // A reviewer's latest verdict counts: an approval later replaced by "changes requested" is not one.
  const latest = new Map<string, string>();
  for (const review of reviews) {
    if (review.user && review.state !== "COMMENTED") latest.set(review.user.login, review.state);
  }
  const approvers = [...latest].filter(([, state]) => state === "APPROVED").map(([login]) => login);
  return { pullNumber: pull.number, headSha, conclusion: run.conclusion, approvers };
}

/**
 * The pull request whose merge (or fast-forwarded head) is `commit`, or `undefined` when the
 * commit did not come from one.
 *
 * @example
 * const pull = await mergedPullRequest(client, { owner: "acme", repo: "models", commit: "9f1c…" });
 * // pull?.number === 9, pull?.head.sha === "5e6f…"
 */
export async function mergedPullRequest(
  client: GitHubClient,
  target: { owner: string; repo: string; commit: string },
) {
  const { owner, repo, commit } = target;
  const pulls = await withPermission(
    { action: `find the pull request of ${commit}`, permission: "pull-requests: read" },
    () =>
      client.paginate(client.rest.repos.listPullRequestsAssociatedWithCommit, {
        owner,
        repo,
        commit_sha: commit,
        per_page: 100,
      }),
  );
  return (
    pulls.find((p) => p.merge_commit_sha === commit && p.merged_at !== null) ??
    pulls.find((p) => p.head.sha === commit)
  );
}
