import { DRIFT_LABEL, driftIssueMarker } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

/** An open drift issue, as found. */
export interface FoundDriftIssue {
  number: number;
  body: string | null;
  url: string;
}

/**
 * Finds the model's open drift issue and its latest closed one (labelled `gauntlet:drift`, with the
 * model's marker): the closed one's state remembers the last retraining dispatch, which the
 * schedule and labelled-rows triggers count from. Every page is read.
 *
 * @example
 * await findDriftIssue(client, { owner: "acme", repo: "models", model: "churn" });
 * // { open: undefined, closed: { number: 9, body: "<!-- gauntlet:drift=churn -->...", url } }
 */
export async function findDriftIssue(
  client: GitHubClient,
  target: { owner: string; repo: string; model: string },
): Promise<{ open: FoundDriftIssue | undefined; closed: FoundDriftIssue | undefined }> {
  const issues = await listMarkedIssues(
    client,
    { ...target, label: DRIFT_LABEL, marker: driftIssueMarker(target.model) },
    "all",
  );
  const open = issues.filter((i) => i.state === "open");
  const closed = issues.filter((i) => i.state !== "open");
  return { open: found(open[0]), closed: found(closed.at(-1)) };
}

/**
 * Finds the open issue with `label` whose body carries the hidden `marker` (drift-check's and
 * canary-check's one issue per model). Every page is read, so a busy repository never gets a
 * duplicate; when several match (created by hand), the oldest is used.
 *
 * @example
 * await findMarkedIssue(client, { owner, repo, label: "gauntlet:canary", marker: "<!-- gauntlet:canary=churn -->" });
 * // { number: 14, body: "…", url: "https://github.com/acme/models/issues/14" }
 */
export async function findMarkedIssue(
  client: GitHubClient,
  target: { owner: string; repo: string; label: string; marker: string },
): Promise<FoundDriftIssue | undefined> {
  return found((await listMarkedIssues(client, target, "open"))[0]);
}

type ListedIssue = Awaited<ReturnType<GitHubClient["rest"]["issues"]["listForRepo"]>>["data"][number];

/** The issues (not pull requests) with `label` whose body carries `marker`, oldest first. */
async function listMarkedIssues(
  client: GitHubClient,
  target: { owner: string; repo: string; label: string; marker: string },
  state: "open" | "all",
): Promise<ListedIssue[]> {
  const issues = await withPermission({ action: "list issues", permission: "issues: read" }, () =>
    client.paginate(client.rest.issues.listForRepo, {
      owner: target.owner,
      repo: target.repo,
      labels: target.label,
      state,
      per_page: 100,
    }),
  );
  return issues
    .filter((issue) => !issue.pull_request && (issue.body ?? "").includes(target.marker))
    .sort((a, b) => a.number - b.number);
}

function found(issue: ListedIssue | undefined): FoundDriftIssue | undefined {
  return issue ? { number: issue.number, body: issue.body ?? null, url: issue.html_url } : undefined;
}
