import { UserError } from "@gauntlet/core";
import { z } from "zod";
import type { GitHubClient } from "../client.js";
import type { PullRequestContext, RunContext } from "../context.js";
import { withPermission } from "../permission.js";

const workflowRunSchema = z.object({
  id: z.number(),
  event: z.string(),
  head_sha: z.string(),
  head_branch: z.string().nullish(),
  head_repository: z.object({ full_name: z.string(), owner: z.object({ login: z.string() }) }).nullish(),
  pull_requests: z.array(z.object({ number: z.number(), head: z.object({ sha: z.string() }) })).nullish(),
});

/**
 * The run's context with its pull request, also on `workflow_run`. The `pull_request`,
 * `pull_request_target` and review events carry the pull request; a `workflow_run` event only
 * carries the triggering run, whose `pull_requests` list is empty when the head branch lives in a
 * fork. The pull request is then the open one whose head is the run's `head_repository` branch at
 * the run's `head_sha`, looked up through the API. Any other event has no pull request.
 *
 * The pull request must still be at the run's head commit: a run for an older push is refused
 * (the run of the newer push gates it), so nothing is published for a commit nobody reviews.
 *
 * @example
 * const ctx = await withPullRequest(client, readRunContext()); // on workflow_run of model-pr
 * // ctx.pullRequest = { number: 9, headSha: "5e6f…", isFork: true, author: "contributor", … }
 */
export async function withPullRequest(client: GitHubClient, context: RunContext): Promise<RunContext> {
  if (context.pullRequest || context.eventName !== "workflow_run") return context;
  const parsed = workflowRunSchema.safeParse(context.payload["workflow_run"]);
  if (!parsed.success) {
    throw new UserError("the workflow_run event has no readable workflow_run (id, event, head_sha)", {
      field: "workflow_run",
      fix: "run gauntlet on the workflow_run event GitHub delivered unchanged",
    });
  }
  const run = parsed.data;
  const { owner, repo } = context.repo;
  const need = (action: string) => ({ action, permission: "pull-requests: read" });
  const listed = (run.pull_requests ?? []).find((p) => p.head.sha === run.head_sha);
  let number = listed?.number;
  const headRepo = run.head_repository?.full_name;
  if (number === undefined && headRepo && run.head_branch) {
    const head = `${run.head_repository!.owner.login}:${run.head_branch}`;
    const pulls = await withPermission(need(`list the open pull requests from ${head}`), () =>
      client.paginate(client.rest.pulls.list, { owner, repo, state: "open", head, per_page: 100 }),
    );
    number = pulls.find(
      (p) => p.head.sha === run.head_sha && p.head.repo?.full_name.toLowerCase() === headRepo.toLowerCase(),
    )?.number;
  }
  const source = `${headRepo ?? "a deleted repository"}@${run.head_sha.slice(0, 7)}`;
  if (number === undefined) {
    throw new UserError(
      `workflow run ${run.id} (${run.event}) is for ${source}, and no open pull request of ${owner}/${repo} has that head commit`,
      {
        field: "workflow_run",
        fix: "nothing to gate: the pull request was closed or has newer commits, whose own run gates it",
      },
    );
  }
  const { data: pull } = await withPermission(need(`read pull request #${number}`), () =>
    client.rest.pulls.get({ owner, repo, pull_number: number }),
  );
  if (pull.head.sha !== run.head_sha) {
    throw new UserError(
      `pull request #${number} has moved on to ${pull.head.sha.slice(0, 7)} since workflow run ${run.id} ran for ${run.head_sha.slice(0, 7)}`,
      { field: "workflow_run.head_sha", fix: "nothing to do: the run for the newer commit gates it" },
    );
  }
  const headRepoFullName = pull.head.repo?.full_name;
  const pullRequest: PullRequestContext = {
    number,
    headSha: pull.head.sha,
    baseSha: pull.base.sha,
    headRepoFullName,
    isFork: headRepoFullName?.toLowerCase() !== `${owner}/${repo}`.toLowerCase(),
    author: pull.user.login,
  };
  return { ...context, pullRequest };
}
