import { UserError } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";

interface HttpFailure {
  status: number;
  message: string;
}

const isHttpFailure = (error: unknown): error is HttpFailure =>
  typeof error === "object" && error !== null && typeof (error as HttpFailure).status === "number";

/**
 * Which of `users` are active members of the team `@org/team` (as written in `approvals.from`),
 * one membership lookup per user, so only the reviewers are ever looked up, not the whole team.
 * A 404 for a user means "not a member". A 403 means the token cannot read the organisation's
 * teams at all — the default `GITHUB_TOKEN` never can — which is a {@link UserError} naming the
 * fix, because silently counting nobody would leave the gate pending for a reason nobody sees.
 *
 * @example
 * await teamMembersAmong(client, "@acme/risk-leads", ["alice", "bob"], "models/churn/model.yml");
 * // ["alice"]
 */
export async function teamMembersAmong(
  client: GitHubClient,
  team: string,
  users: readonly string[],
  manifestFile: string,
): Promise<string[]> {
  const [org, teamSlug] = team.replace(/^@/, "").split("/") as [string, string];
  const members: string[] = [];
  for (const username of users) {
    try {
      const { data } = await client.rest.teams.getMembershipForUserInOrg({
        org,
        team_slug: teamSlug,
        username,
      });
      // An invitation not yet accepted is `pending`: that person is not a member yet.
      if (data.state === "active") members.push(username);
    } catch (error) {
      if (isHttpFailure(error) && error.status === 404) continue;
      throw cannotRead(error, team, manifestFile);
    }
  }
  return members;
}

/**
 * Whether the team `@org/team` exists for this token. GitHub answers a membership lookup with 404
 * both for "not a member" and for a team that does not exist, so a team that counted nobody is
 * looked up once more: a misspelt slug would otherwise leave the gate pending with no reason given.
 *
 * @example
 * await teamExists(client, "@acme/risk-lead", "models/churn/model.yml"); // false: the team is risk-leads
 */
export async function teamExists(client: GitHubClient, team: string, manifestFile: string): Promise<boolean> {
  const [org, teamSlug] = team.replace(/^@/, "").split("/") as [string, string];
  try {
    await client.rest.teams.listMembersInOrg({ org, team_slug: teamSlug, per_page: 1 });
    return true;
  } catch (error) {
    if (isHttpFailure(error) && error.status === 404) return false;
    throw cannotRead(error, team, manifestFile);
  }
}

/** A 401/403 on a team lookup as the {@link UserError} that says which token to pass; anything else as it is. */
function cannotRead(error: unknown, team: string, manifestFile: string): unknown {
  if (!isHttpFailure(error) || (error.status !== 403 && error.status !== 401)) return error;
  return new UserError(
    `cannot read the members of ${team} to count approvals (GitHub answered ${error.status} ${error.message})`,
    {
      file: manifestFile,
      field: "gate.approvals.from",
      fix:
        "the default GITHUB_TOKEN cannot read organisation teams: pass a token with `members: read` " +
        "on the organisation (a GitHub App token or a fine-grained PAT) as `github-token`, " +
        "or list the approvers as users instead of a team",
    },
  );
}
