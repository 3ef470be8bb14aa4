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
      if (isHttpFailure(error) && (error.status === 403 || error.status === 401)) {
        throw new UserError(
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
      throw error;
    }
  }
  return members;
}
