import type { DriftIssuePlan } from "../drift/plan-drift-issue.js";
import { escapeMarkdown } from "../report/escape.js";

/** The label of canary-check's owner issues. */
export const CANARY_LABEL = "gauntlet:canary";

/**
 * The hidden marker that makes an issue the model's canary issue (one open per model).
 *
 * @example
 * canaryIssueMarker("churn"); // "<!-- gauntlet:canary=churn -->"
 */
export function canaryIssueMarker(model: string): string {
  return `<!-- gauntlet:canary=${model} -->`;
}

/** What {@link planCanaryIssue} decides from. */
export interface CanaryIssueInput {
  model: string;
  version: string;
  incumbent: string;
  report: string;
  owner: string;
  existing?: { number: number; body: string | null } | undefined;
  runUrl: string;
}

/**
 * The owner issue of a rollback, as a plan drift-check's issue writer applies: opens the model's
 * canary issue (assigned to a user owner, mentioning a team), or — when one is open — updates its
 * body and comments once per rolled-back version, so re-runs add nothing.
 *
 * @example
 * planCanaryIssue({ model: "churn", version: "1.4.0", incumbent: "1.3.0", report, owner: "@acme/ml", runUrl });
 * // { open: { title: "Canary rolled back: churn 1.4.0", labels: ["gauntlet:canary"], ... }, state: null }
 */
export function planCanaryIssue(input: CanaryIssueInput): DriftIssuePlan {
  const versionMarker = `<!-- gauntlet:canary-version=${input.version} -->`;
  const team = input.owner.includes("/");
  const mention = input.owner.startsWith("@") ? input.owner : `@${input.owner}`;
  const body = [
    canaryIssueMarker(input.model),
    versionMarker,
    `**${escapeMarkdown(input.model)} ${escapeMarkdown(input.version)} was rolled back to ${escapeMarkdown(input.incumbent)}** by canary-check ([run](${input.runUrl})).`,
    "",
    `Owner: ${mention}${team ? " (a team: mentioned, since teams cannot be assignees)" : ""}. Fix the version and merge a new one; the alias already serves ${escapeMarkdown(input.incumbent)} again.`,
    "",
    input.report,
  ].join("\n");
  if (!input.existing) {
    return {
      open: {
        title: `Canary rolled back: ${input.model} ${input.version}`,
        body,
        labels: [CANARY_LABEL],
        assignees: team ? [] : [input.owner.replace(/^@/, "")],
      },
      state: null,
    };
  }
  const seen = (input.existing.body ?? "").includes(versionMarker);
  return {
    update: { body },
    ...(seen
      ? {}
      : {
          comment: `${escapeMarkdown(input.version)} was rolled back to ${escapeMarkdown(input.incumbent)}. [Run](${input.runUrl})`,
        }),
    state: null,
  };
}
