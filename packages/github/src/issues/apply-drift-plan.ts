import { COMMENT_LIMIT, type DriftIssuePlan, truncateMarkdown } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

/** What {@link applyDriftPlan} did. */
export interface AppliedDriftPlan {
  issueNumber: number | undefined;
  url: string | undefined;
  created: boolean;
  commented: boolean;
  closed: boolean;
  dispatched: string | undefined;
}

const ISSUES_WRITE = { permission: "issues: write" };

/**
 * Carries out a {@link DriftIssuePlan} on GitHub: open (labelled, assigned) or update the issue,
 * comment, close, and dispatch the retraining workflow on the default branch. Bodies are cut
 * visibly to GitHub's 65,536-character limit.
 *
 * @example
 * await applyDriftPlan(client, { owner: "acme", repo: "models" }, plan, existing);
 * // { issueNumber: 12, created: true, commented: false, closed: false, dispatched: undefined, url }
 */
export async function applyDriftPlan(
  client: GitHubClient,
  repo: { owner: string; repo: string },
  plan: DriftIssuePlan,
  existing: { number: number; url: string } | undefined,
  fullReport: string,
): Promise<AppliedDriftPlan> {
  const fitToLimit = (text: string): string =>
    truncateMarkdown(
      text,
      COMMENT_LIMIT,
      (o) => `> [!WARNING]\n> Truncated: ${o.lines} more lines are in ${fullReport}.`,
    );
  const applied: AppliedDriftPlan = {
    issueNumber: existing?.number,
    url: existing?.url,
    created: false,
    commented: false,
    closed: false,
    dispatched: undefined,
  };
  if (plan.open) {
    const open = plan.open;
    const { data } = await withPermission({ action: "open the drift issue", ...ISSUES_WRITE }, () =>
      client.rest.issues.create({
        ...repo,
        title: open.title,
        body: fitToLimit(open.body),
        labels: open.labels,
        ...(open.assignees.length > 0 ? { assignees: open.assignees } : {}),
      }),
    );
    Object.assign(applied, { issueNumber: data.number, url: data.html_url, created: true });
  }
  const number = applied.issueNumber;
  if (number !== undefined && plan.update) {
    const body = fitToLimit(plan.update.body);
    await withPermission({ action: `update drift issue #${number}`, ...ISSUES_WRITE }, () =>
      client.rest.issues.update({ ...repo, issue_number: number, body }),
    );
  }
  if (number !== undefined && plan.comment) {
    const body = fitToLimit(plan.comment);
    await withPermission({ action: `comment on drift issue #${number}`, ...ISSUES_WRITE }, () =>
      client.rest.issues.createComment({ ...repo, issue_number: number, body }),
    );
    applied.commented = true;
  }
  if (plan.dispatch) {
    const workflow = plan.dispatch.workflow;
    const { data: repository } = await client.rest.repos.get(repo);
    await withPermission({ action: `dispatch the workflow ${workflow}`, permission: "actions: write" }, () =>
      client.rest.actions.createWorkflowDispatch({
        ...repo,
        workflow_id: workflow,
        ref: repository.default_branch,
        inputs: plan.dispatch!.inputs,
      }),
    );
    applied.dispatched = workflow;
  }
  if (number !== undefined && plan.close) {
    await withPermission({ action: `close drift issue #${number}`, ...ISSUES_WRITE }, () =>
      client.rest.issues.update({
        ...repo,
        issue_number: number,
        state: "closed",
        state_reason: "completed",
      }),
    );
    applied.closed = true;
  }
  return applied;
}
