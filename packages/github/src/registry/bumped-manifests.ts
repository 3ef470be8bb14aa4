import { declaredVersion } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";
import { changedFiles } from "./changed-files.js";

/** GitHub lists at most this many files in a comparison (or a commit), however many changed. */
export const COMPARE_FILE_LIMIT = 300;

/** A manifest in the checked-out push, and the version it declares there. */
export interface ManifestAtHead {
  path: string;
  version: string | undefined;
}

/** Whether a push bumped a manifest's version, and how that was found out. */
export interface BumpedManifest {
  path: string;
  bumped: boolean;
  /** `diff`: from the comparison's patch; `contents`: the comparison was cut at 300 files, so the versions before and after were compared. */
  via: "diff" | "contents" | "unchanged";
}

/**
 * Which manifests a push bumped. The compare API lists at most 300 files: below that, a manifest
 * the comparison does not list did not change, and a listed one was bumped when its diff touches
 * `version:`. When the list is full it may be cut short, so every manifest it does not list is
 * read at the commit before the push (the contents API) and bumped when its version differs from
 * the checked-out one (or it did not exist). No merge, however large, hides a bumped manifest.
 *
 * @example
 * await bumpedManifests(client, { owner, repo, before: "1a2b…", after: "9f8e…" },
 *   [{ path: "models/churn/model.yml", version: "1.3.0" }]);
 * // [{ path: "models/churn/model.yml", bumped: true, via: "contents" }]
 */
export async function bumpedManifests(
  client: GitHubClient,
  push: { owner: string; repo: string; before: string | undefined; after: string },
  manifests: readonly ManifestAtHead[],
): Promise<BumpedManifest[]> {
  const changed = await changedFiles(client, push);
  const listed = new Map(changed.map((file) => [file.filename, file]));
  const cut = changed.length >= COMPARE_FILE_LIMIT;
  let base: string | undefined;
  const result: BumpedManifest[] = [];
  for (const manifest of manifests) {
    const file = listed.get(manifest.path);
    if (file) {
      result.push({ path: manifest.path, bumped: file.versionTouched, via: "diff" });
    } else if (!cut) {
      result.push({ path: manifest.path, bumped: false, via: "unchanged" });
    } else {
      base ??= await baseOf(client, push);
      const before = base === undefined ? undefined : await fileAt(client, push, manifest.path, base);
      const bumped = before === undefined || declaredVersion(before) !== manifest.version;
      result.push({ path: manifest.path, bumped, via: "contents" });
    }
  }
  return result;
}

const NO_COMMIT = /^0+$/;

/** The commit before the push: `before`, or for a new branch the pushed commit's first parent. */
async function baseOf(
  client: GitHubClient,
  push: { owner: string; repo: string; before: string | undefined; after: string },
): Promise<string | undefined> {
  if (push.before && !NO_COMMIT.test(push.before)) return push.before;
  const need = { action: `read the commit ${push.after.slice(0, 7)}`, permission: "contents: read" };
  const { data } = await withPermission(need, () =>
    client.rest.repos.getCommit({ owner: push.owner, repo: push.repo, ref: push.after }),
  );
  return data.parents[0]?.sha;
}

/**
 * A file's text at a commit, or `undefined` when it did not exist there (needs `contents: read`).
 *
 * @example
 * await fileAt(client, { owner: "acme", repo: "models" }, ".github/CODEOWNERS", baseSha); // "* @acme/ml\n" or undefined
 */
export async function fileAt(
  client: GitHubClient,
  repo: { owner: string; repo: string },
  path: string,
  ref: string,
): Promise<string | undefined> {
  const need = { action: `read ${path} at ${ref.slice(0, 7)}`, permission: "contents: read" };
  const { data } = await withPermission(need, () =>
    client.rest.repos
      .getContent({ owner: repo.owner, repo: repo.repo, path, ref })
      .catch((error: unknown) => {
        if ((error as { status?: number }).status === 404) return { data: undefined };
        throw error;
      }),
  );
  if (data === undefined || Array.isArray(data) || data.type !== "file" || !("content" in data))
    return undefined;
  return Buffer.from(data.content, "base64").toString("utf8");
}
