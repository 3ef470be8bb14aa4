import { aliasTag, UserError } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";
import { type RepoRef, tagCommit } from "./tag-commit.js";

/** A release of a model version and the `.onnx` asset that holds its artefact. */
export interface BaselineRelease {
  version: string;
  /** The release's title, e.g. `churn v1.2.0`. */
  release: string;
  tag: string;
  asset: { id: number; name: string; size: number };
}

/** A release as the REST API returns it, the fields gauntlet reads. */
export interface ReleaseData {
  name: string | null;
  tag_name: string;
  body?: string | null;
  draft: boolean;
  assets: { id: number; name: string; size: number }[];
  /** When the release was published; `null` for a draft. */
  published_at: string | null;
  created_at: string;
}

/** What to find and where to point a problem. */
export interface FindReleaseOptions {
  model: string;
  manifestFile: string;
}

/**
 * The release of a version (`1.2.0` → the release tagged `churn/v1.2.0`), read by tag.
 * A missing release is a {@link UserError}: the manifest names a version that was never released.
 *
 * @example
 * await findVersionRelease(client, repo, "1.2.0", { model: "churn", manifestFile });
 * // { version: "1.2.0", release: "churn v1.2.0", tag: "churn/v1.2.0", asset: { id: 7, name: "model.onnx", size: 1623 } }
 */
export async function findVersionRelease(
  client: GitHubClient,
  repo: RepoRef,
  version: string,
  options: FindReleaseOptions,
): Promise<BaselineRelease> {
  const tag = `${options.model}/v${version}`;
  const release = await releaseByTag(client, repo, tag);
  if (!release || release.draft) {
    throw new UserError(`there is no published release tagged ${tag} to compare with`, {
      file: options.manifestFile,
      field: "evaluation.baseline",
      fix: `set evaluation.baseline to a released version of ${options.model}, to an alias such as production, or to an .onnx path`,
    });
  }
  return withAsset(release, version, options);
}

/**
 * The release tagged `tag`, or `undefined` when there is none (drafts included: callers decide).
 *
 * @example
 * (await releaseByTag(client, repo, "churn/v1.2.0"))?.assets.map((a) => a.name); // ["model.onnx", "gate.json", …]
 */
export async function releaseByTag(
  client: GitHubClient,
  repo: RepoRef,
  tag: string,
): Promise<ReleaseData | undefined> {
  const need = {
    action: `read the release ${tag} of ${repo.owner}/${repo.repo}`,
    permission: "contents: read",
  };
  return withPermission(need, () =>
    client.rest.repos.getReleaseByTag({ ...repo, tag }).then(
      (response) => response.data as ReleaseData,
      (error: unknown) => {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      },
    ),
  );
}

/** Where an alias tag points: the tag, its commit and the published version release at that commit. */
export interface AliasTarget {
  /** The alias tag, e.g. `churn/production`. */
  tag: string;
  /** The commit the alias tag names (annotated tags peeled); `undefined` when the tag does not exist. */
  commit: string | undefined;
  /** The non-draft release tagged `<model>/v*` at that commit; `undefined` when there is none. */
  release: ReleaseData | undefined;
}

/**
 * The release at an alias's commit, the one search both the baseline (`findAliasRelease`) and
 * drift-check's reference (`downloadReleaseProfile`) use: the alias tag (`churn/production`) names a
 * commit, and the release is the published one whose version tag (`churn/v*`) names the same commit.
 * Callers decide what a missing tag or release means. Reading needs `contents: read`, named in the
 * {@link UserError} a token without it gets.
 *
 * @example
 * await releaseAtAlias(client, repo, "churn", "production");
 * // { tag: "churn/production", commit: "4f2c…", release: { tag_name: "churn/v1.2.0", … } }
 */
export async function releaseAtAlias(
  client: GitHubClient,
  repo: RepoRef,
  model: string,
  alias: string,
): Promise<AliasTarget> {
  const tag = aliasTag(model, alias);
  const commit = await tagCommit(client, repo, tag);
  if (commit === undefined) return { tag, commit, release: undefined };
  const prefix = `${model}/v`;
  const need = { action: `list the releases of ${repo.owner}/${repo.repo}`, permission: "contents: read" };
  const releases = (await withPermission(need, () =>
    client.paginate(client.rest.repos.listReleases, { ...repo, per_page: 100 }),
  )) as ReleaseData[];
  for (const release of releases) {
    if (release.draft || !release.tag_name.startsWith(prefix)) continue;
    if ((await tagCommit(client, repo, release.tag_name)) === commit) return { tag, commit, release };
  }
  return { tag, commit, release: undefined };
}

/**
 * The release an alias points at (found by {@link releaseAtAlias}) with its one `.onnx` asset.
 * Returns `undefined` when the alias tag does not exist yet (the model's first version); an alias
 * with no release at its commit is a {@link UserError}, because the registry is inconsistent.
 *
 * @example
 * await findAliasRelease(client, repo, "production", { model: "churn", manifestFile });
 * // { version: "1.2.0", release: "churn v1.2.0", tag: "churn/v1.2.0", asset: { … } } or undefined
 */
export async function findAliasRelease(
  client: GitHubClient,
  repo: RepoRef,
  alias: string,
  options: FindReleaseOptions,
): Promise<BaselineRelease | undefined> {
  const { tag, commit, release } = await releaseAtAlias(client, repo, options.model, alias);
  if (commit === undefined) return undefined;
  const prefix = `${options.model}/v`;
  if (release) return withAsset(release, release.tag_name.slice(prefix.length), options);
  throw new UserError(
    `the alias ${tag} points at commit ${commit.slice(0, 12)}, but no release ${prefix}* is tagged there`,
    {
      file: options.manifestFile,
      field: "evaluation.baseline",
      fix: `re-run promote to move ${tag} to a released version, or set evaluation.baseline to a version such as 1.2.0`,
    },
  );
}

function withAsset(release: ReleaseData, version: string, options: FindReleaseOptions): BaselineRelease {
  const onnx = release.assets.filter((a) => a.name.toLowerCase().endsWith(".onnx"));
  const title = release.name || release.tag_name;
  if (onnx.length !== 1) {
    throw new UserError(
      `the release "${title}" has ${onnx.length === 0 ? "no .onnx asset" : `${onnx.length} .onnx assets (${onnx.map((a) => a.name).join(", ")})`}, so its model cannot be compared`,
      {
        file: options.manifestFile,
        field: "evaluation.baseline",
        fix: "attach exactly one .onnx artefact to the release (promote does), or set evaluation.baseline to an .onnx path",
      },
    );
  }
  const asset = onnx[0]!;
  return {
    version,
    release: title,
    tag: release.tag_name,
    asset: { id: asset.id, name: asset.name, size: asset.size },
  };
}
