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
  const ref = await withPermission(readTag(repo, tag), () =>
    client.rest.git.getRef({ ...repo, ref: `tags/${tag}` }).then(
      (response) => response.data,
      (error: unknown) => {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      },
    ),
  );
  return ref === undefined ? undefined : peelToCommit(client, repo, ref.object, tag);
}

/**
 * Follows a tag ref's object through annotated tag objects down to the commit they tag, or
 * `undefined` when it ends at something else (a tree, a blob, a loop). Reading needs
 * `contents: read`, named as {@link tagCommit} names it.
 *
 * @example
 * await peelToCommit(client, { owner: "acme", repo: "models" }, { sha: "7c1d…", type: "tag" }, "churn/v1.0.0"); // "1a2b…"
 * await peelToCommit(client, repo, { sha: "1a2b…", type: "commit" }, "churn/v1.0.0"); // "1a2b…", no request
 */
export async function peelToCommit(
  client: GitHubClient,
  repo: RepoRef,
  object: { sha: string; type: string },
  tag: string,
): Promise<string | undefined> {
  let current = object;
  for (let depth = 0; current.type === "tag" && depth < MAX_PEEL; depth++) {
    const sha = current.sha;
    const { data } = await withPermission(readTag(repo, tag), () =>
      client.rest.git.getTag({ ...repo, tag_sha: sha }),
    );
    current = data.object;
  }
  return current.type === "commit" ? current.sha : undefined;
}

const readTag = (repo: RepoRef, tag: string) => ({
  action: `read the tag ${tag} of ${repo.owner}/${repo.repo}`,
  permission: "contents: read",
});
