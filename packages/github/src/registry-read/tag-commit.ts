import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

/** The repository whose registry is read. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** Annotated tags may point at tags; more levels than this is a loop, not a registry. */
const MAX_PEEL = 5;

/**
 * The commit a tag points at, peeling annotated tag objects, or `undefined` when the tag does not
 * exist. Reading needs `contents: read`; a token without it is a {@link UserError} naming it.
 *
 * @example
 * await tagCommit(client, { owner: "acme", repo: "models" }, "churn/production"); // "4f2c…" or undefined
 */
export async function tagCommit(
  client: GitHubClient,
  repo: RepoRef,
  tag: string,
): Promise<string | undefined> {
  const need = { action: `read the tag ${tag} of ${repo.owner}/${repo.repo}`, permission: "contents: read" };
  const ref = await withPermission(need, () =>
    client.rest.git.getRef({ ...repo, ref: `tags/${tag}` }).then(
      (response) => response.data,
      (error: unknown) => {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      },
    ),
  );
  if (!ref) return undefined;
  let object = ref.object;
  for (let depth = 0; object.type === "tag" && depth < MAX_PEEL; depth++) {
    const sha = object.sha;
    object = (await withPermission(need, () => client.rest.git.getTag({ ...repo, tag_sha: sha }))).data
      .object;
  }
  return object.type === "commit" ? object.sha : undefined;
}
