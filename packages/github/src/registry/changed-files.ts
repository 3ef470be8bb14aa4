import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";

/** A file a push changed, and whether its diff touches a top-level `version:` line. */
export interface ChangedFile {
  filename: string;
  /** `true` when the diff adds or removes a `version:` line, or when GitHub sent no diff to look at. */
  versionTouched: boolean;
}

const NO_COMMIT = /^0+$/;

/**
 * The files a push changed, from `before` to `after` (the push event's fields), via the compare
 * API; for a new branch (`before` all zeros) the files of the head commit. A manifest whose diff
 * does not touch `version:` was edited without a bump and is not a promotion candidate.
 *
 * @example
 * await changedFiles(client, { owner, repo, before: "1a2b…", after: "9f8e…" });
 * // [{ filename: "models/churn/model.yml", versionTouched: true }]
 */
export async function changedFiles(
  client: GitHubClient,
  push: { owner: string; repo: string; before: string | undefined; after: string },
): Promise<ChangedFile[]> {
  const { owner, repo, before, after } = push;
  const need = { action: `compare the commits of the push`, permission: "contents: read" };
  const files = await withPermission(need, async () => {
    if (!before || NO_COMMIT.test(before)) {
      return (await client.rest.repos.getCommit({ owner, repo, ref: after })).data.files ?? [];
    }
    return (
      (await client.rest.repos.compareCommits({ owner, repo, base: before, head: after })).data.files ?? []
    );
  });
  return files.map((f) => ({
    filename: f.filename,
    versionTouched: f.patch === undefined || f.status === "added" || /^[+-]version\s*:/m.test(f.patch),
  }));
}
