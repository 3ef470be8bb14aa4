import type { DeploymentState, RegistryState, ReleaseState, VersionTagState } from "@gauntlet/core";
import { aliasTag, versionOfTag } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";
import { peelToCommit, tagCommit } from "./tag-commit.js";

/** The repository and model whose registry entries to read. */
export interface RegistryTarget {
  owner: string;
  repo: string;
  model: string;
  stage: string;
}

const readContents = (what: string) => ({ action: `read ${what}`, permission: "contents: read" });

/**
 * Reads the model's registry: its version tags (annotated tags peeled to their commit), its
 * releases with their assets, and the stage's alias. Deployments are read separately with
 * {@link readDeployments}, once the commit they matter for is known.
 *
 * @example
 * const state = await readRegistryState(client, { owner: "acme", repo: "models", model: "churn", stage: "production" });
 * state.tags; // [{ version: "1.0.0", tag: "churn/v1.0.0", commit: "1a2b…" }]
 */
export async function readRegistryState(
  client: GitHubClient,
  target: RegistryTarget,
): Promise<Omit<RegistryState, "deployments">> {
  const { owner, repo, model } = target;
  const refs = await withPermission(readContents(`the tags of ${model}`), () =>
    client.paginate(client.rest.git.listMatchingRefs, { owner, repo, ref: `tags/${model}/v` }),
  );
  const tags: VersionTagState[] = [];
  for (const ref of refs) {
    const tag = ref.ref.replace(/^refs\/tags\//, "");
    const version = versionOfTag(model, tag);
    const commit =
      version === undefined ? undefined : await peelToCommit(client, { owner, repo }, ref.object, tag);
    // A version tag that does not end at a commit (a tagged tree or blob) names no version.
    if (version === undefined || commit === undefined) continue;
    tags.push({ version, tag, commit });
  }
  const alias = await readAlias(client, target);
  const listed = await withPermission(readContents("releases"), () =>
    client.paginate(client.rest.repos.listReleases, { owner, repo, per_page: 100 }),
  );
  const releases: ReleaseState[] = listed
    .filter((r) => versionOfTag(model, r.tag_name) !== undefined)
    .map((r) => ({
      id: r.id,
      tag: r.tag_name,
      name: r.name ?? r.tag_name,
      body: r.body ?? "",
      uploadUrl: r.upload_url,
      assets: r.assets.map((a) => ({ name: a.name, size: a.size })),
    }));
  return { tags, releases, alias };
}

/**
 * The commit the stage's alias tag points at, or `null` when there is no alias yet.
 *
 * @example
 * await readAlias(client, { owner, repo, model: "churn", stage: "production" });
 * // { tag: "churn/production", commit: "9f8e…" }
 */
export async function readAlias(
  client: GitHubClient,
  target: RegistryTarget,
): Promise<RegistryState["alias"]> {
  const tag = aliasTag(target.model, target.stage);
  const commit = await tagCommit(client, { owner: target.owner, repo: target.repo }, tag);
  return commit === undefined ? null : { tag, commit };
}

/**
 * Deployments to `environment` at `commit` (at every commit when it is left out), newest first,
 * each with its statuses oldest first.
 *
 * @example
 * await readDeployments(client, { owner, repo, environment: "churn/production", commit });
 * // [{ id: 12, commit: "9f8e…", states: ["success", "inactive"] }]
 */
export async function readDeployments(
  client: GitHubClient,
  where: { owner: string; repo: string; environment: string; commit?: string },
): Promise<DeploymentState[]> {
  const { owner, repo, environment, commit } = where;
  const need = { action: `read deployments to ${environment}`, permission: "deployments: read" };
  const list = await withPermission(need, () =>
    client.paginate(client.rest.repos.listDeployments, {
      owner,
      repo,
      environment,
      ...(commit === undefined ? {} : { sha: commit }),
      per_page: 100,
    }),
  );
  const out: DeploymentState[] = [];
  for (const d of list) {
    const statuses = await withPermission(need, () =>
      client.paginate(client.rest.repos.listDeploymentStatuses, {
        owner,
        repo,
        deployment_id: d.id,
        per_page: 100,
      }),
    );
    out.push({
      id: d.id,
      commit: d.sha,
      states: statuses.map((s) => s.state).reverse(),
      createdAt: d.created_at,
    });
  }
  return out;
}
