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
 * Finds the model's open drift issue: labelled `gauntlet:drift` and carrying the hidden
 * `<!-- gauntlet:drift=<name> -->` marker. Every page is read, so a busy repository never gets a
 * duplicate; when several match (created by hand), the oldest is used.
 *
 * @example
 * await findDriftIssue(client, { owner: "acme", repo: "models", model: "churn" });
 * // { number: 12, body: "<!-- gauntlet:drift=churn -->...", url: "https://github.com/acme/models/issues/12" }
 */
export async function findDriftIssue(
  client: GitHubClient,
  target: { owner: string; repo: string; model: string },
): Promise<FoundDriftIssue | undefined> {
  return findMarkedIssue(client, { ...target, label: DRIFT_LABEL, marker: driftIssueMarker(target.model) });
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
  const { marker } = target;
  const issues = await withPermission({ action: "list issues", permission: "issues: read" }, () =>
    client.paginate(client.rest.issues.listForRepo, {
      owner: target.owner,
      repo: target.repo,
      labels: target.label,
      state: "open",
      per_page: 100,
    }),
  );
  const matching = issues
    .filter((issue) => !issue.pull_request && (issue.body ?? "").includes(marker))
    .sort((a, b) => a.number - b.number);
  const found = matching[0];
  return found ? { number: found.number, body: found.body ?? null, url: found.html_url } : undefined;
}
