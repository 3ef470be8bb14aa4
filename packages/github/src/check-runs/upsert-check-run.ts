import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

/** A check run's state: finished with a conclusion, or still waiting (which blocks merging). */
export type CheckRunState =
  | { status: "completed"; conclusion: "success" | "failure" | "neutral" | "action_required" }
  | { status: "in_progress" };

/** Which check run to write, on which commit, and what it says. */
export interface CheckRunTarget {
  owner: string;
  repo: string;
  /** e.g. `gauntlet/churn`; branch protection requires it by this name. */
  name: string;
  headSha: string;
  state: CheckRunState;
  output: { title: string; summary: string; text: string };
  /** Link from the check to the workflow run that produced it. */
  detailsUrl?: string;
}

/** The check run now holding the result. */
export interface CheckRunWritten {
  id: number;
  url: string;
  created: boolean;
}

/**
 * Creates the named check run on `headSha`, or updates the newest one of that name already
 * there, so re-running the gate (say when a review lands) never stacks up duplicates. The one
 * exception is going back from completed to in progress (an approval was dismissed): a new run
 * is created then rather than reopening a finished one, and branch protection reads the newest
 * run of a name, so the older one no longer counts.
 *
 * @example
 * await upsertCheckRun(client, { owner: "acme", repo: "models", name: "gauntlet/churn", headSha,
 *   state: { status: "completed", conclusion: "success" }, output: renderCheckRunOutput(result) });
 * // { id: 42, url: "https://github.com/acme/models/runs/42", created: true }
 */
export async function upsertCheckRun(client: GitHubClient, target: CheckRunTarget): Promise<CheckRunWritten> {
  const { owner, repo, name, headSha, state } = target;
  const need = { action: `create or update check run ${name}`, permission: "checks: write" };
  const { data } = await withPermission(need, () =>
    client.rest.checks.listForRef({
      owner,
      repo,
      ref: headSha,
      check_name: name,
      filter: "latest",
      per_page: 100,
    }),
  );
  // `check_name` already filters; the name test guards against servers that ignore it.
  const existing = data.check_runs.filter((run) => run.name === name).sort((a, b) => b.id - a.id)[0];
  const fields = {
    ...(state.status === "completed"
      ? { status: "completed" as const, conclusion: state.conclusion, completed_at: new Date().toISOString() }
      : { status: "in_progress" as const }),
    output: target.output,
    ...(target.detailsUrl === undefined ? {} : { details_url: target.detailsUrl }),
  };
  const reopen = existing?.status === "completed" && state.status !== "completed";
  if (existing && !reopen) {
    const { data: updated } = await withPermission(need, () =>
      client.rest.checks.update({ owner, repo, check_run_id: existing.id, ...fields }),
    );
    return { id: updated.id, url: updated.html_url ?? "", created: false };
  }
  const { data: created } = await withPermission(need, () =>
    client.rest.checks.create({ owner, repo, name, head_sha: headSha, ...fields }),
  );
  return { id: created.id, url: created.html_url ?? "", created: true };
}
