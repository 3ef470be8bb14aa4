import { type RegistryOperation, UserError } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

/**
 * Thrown when the alias no longer points where the plan saw it: another promotion moved it in
 * between. The caller re-reads the registry and plans again rather than overwriting the move.
 */
export class AliasMovedError extends Error {
  override readonly name = "AliasMovedError";
}

const status = (error: unknown): number | undefined => (error as { status?: number }).status;

/**
 * Moves (or creates) an alias tag after re-reading it: when it no longer points at `op.from`, an
 * {@link AliasMovedError} says so instead of overwriting someone else's move. Promotions move it
 * without force, so GitHub itself refuses to move it backwards; rollbacks force it.
 *
 * @example
 * await moveAlias(client, { owner, repo }, { kind: "move-alias", tag: "churn/production", from, to, force: false });
 */
export async function moveAlias(
  client: GitHubClient,
  op: Extract<RegistryOperation, { kind: "move-alias" }>,
  where: { owner: string; repo: string },
) {
  const { owner, repo } = where;
  const need = { action: `move tag ${op.tag}`, permission: "contents: write" };
  let current: string | null = null;
  try {
    current = (await client.rest.git.getRef({ owner, repo, ref: `tags/${op.tag}` })).data.object.sha;
  } catch (error) {
    if (status(error) !== 404) throw error;
  }
  if (current !== op.from)
    throw new AliasMovedError(`${op.tag} moved to ${current ?? "nothing"} since it was read`);
  try {
    if (op.from === null) {
      await withPermission(need, () =>
        client.rest.git.createRef({ owner, repo, ref: `refs/tags/${op.tag}`, sha: op.to }),
      );
    } else {
      await withPermission(need, () =>
        client.rest.git.updateRef({ owner, repo, ref: `tags/${op.tag}`, sha: op.to, force: op.force }),
      );
    }
  } catch (error) {
    if (status(error) !== 422) throw error;
    if (op.from === null) throw new AliasMovedError(`${op.tag} was created by someone else meanwhile`);
    throw new UserError(
      `alias ${op.tag} points at ${op.from.slice(0, 7)}, which is not an ancestor of ${op.to.slice(0, 7)}`,
      {
        fix: "move it explicitly with `rollback: true` and `to: <version>` on the promote step",
      },
    );
  }
}
