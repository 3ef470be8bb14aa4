import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

const WRITE_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * Which of `users` can write to the repository, asked per user so only reviewers are looked up.
 * Both fields are read: `role_name` names `maintain` (which the legacy `permission` folds into
 * `write`), and `permission` gives a custom role's base role; a 404 means not a collaborator.
 *
 * @example
 * await writersAmong(client, { owner: "acme", repo: "models" }, ["octocat", "visitor"]);
 * // ["octocat"]
 */
export async function writersAmong(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  users: readonly string[],
): Promise<string[]> {
  const writers: string[] = [];
  for (const username of users) {
    const roles = await withPermission(
      { action: `read the repository permission of ${username}`, permission: "contents: read" },
      async () => {
        try {
          const { data } = await client.rest.repos.getCollaboratorPermissionLevel({
            ...repository,
            username,
          });
          return [data.role_name, data.permission];
        } catch (error) {
          if ((error as { status?: number }).status === 404) return [];
          throw error;
        }
      },
    );
    if (roles.some((role) => WRITE_ROLES.has(role))) writers.push(username);
  }
  return writers;
}
