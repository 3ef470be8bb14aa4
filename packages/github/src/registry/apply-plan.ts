import { readFile } from "node:fs/promises";
import {
  describeOperation,
  type RegistryOperation,
  type RegistryPlan,
  type ReleaseState,
  UserError,
} from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";
import { moveAlias } from "./move-alias.js";
import { readDeployments } from "./read-registry.js";

/** Where to apply a plan and how to report progress. */
export interface ApplyOptions {
  owner: string;
  repo: string;
  /** Releases as read with the state the plan was made from (upload URLs, bodies). */
  releases: readonly ReleaseState[];
  /** Link to this run, recorded on deployment statuses. */
  runUrl: string;
  log: (line: string) => void;
}

const contents = (action: string) => ({ action, permission: "contents: write" });
const deployments = (action: string) => ({ action, permission: "deployments: write" });
const status = (error: unknown): number | undefined => (error as { status?: number }).status;

/**
 * Applies a plan's operations in order, each guarded so that a concurrent or earlier writer of
 * the same thing is recognised instead of duplicated: a tag ref or release that appeared since
 * the state was read is checked and adopted, and the alias is re-read right before it moves.
 * A missing permission is a {@link UserError} naming it (`contents: write`, `deployments: write`).
 *
 * @example
 * await applyPlan(client, plan, { owner, repo, releases: state.releases, runUrl, log: core.info });
 */
export async function applyPlan(
  client: GitHubClient,
  plan: RegistryPlan,
  options: ApplyOptions,
): Promise<void> {
  const releases = new Map(options.releases.map((r) => [r.tag, { id: r.id, uploadUrl: r.uploadUrl }]));
  for (const op of plan.operations) {
    options.log(describeOperation(op));
    await applyOperation(client, op, options, releases);
  }
}

async function applyOperation(
  client: GitHubClient,
  op: RegistryOperation,
  options: ApplyOptions,
  releases: Map<string, { id: number; uploadUrl: string }>,
): Promise<void> {
  const { owner, repo } = options;
  switch (op.kind) {
    case "create-tag": {
      const need = contents(`create tag ${op.tag}`);
      const { data: tag } = await withPermission(need, () =>
        client.rest.git.createTag({
          owner,
          repo,
          tag: op.tag,
          message: op.message,
          object: op.commit,
          type: "commit",
        }),
      );
      try {
        await withPermission(need, () =>
          client.rest.git.createRef({ owner, repo, ref: `refs/tags/${op.tag}`, sha: tag.sha }),
        );
      } catch (error) {
        if (status(error) !== 422) throw error;
        // Created by a concurrent run since the state was read: fine only if it tags the same commit.
        const { data } = await client.rest.git.getRef({ owner, repo, ref: `tags/${op.tag}` });
        const peeled =
          data.object.type === "tag"
            ? (await client.rest.git.getTag({ owner, repo, tag_sha: data.object.sha })).data.object.sha
            : data.object.sha;
        if (peeled !== op.commit) {
          throw new UserError(
            `tag ${op.tag} was just created at ${peeled.slice(0, 7)} by someone else; releases are immutable`,
            {
              fix: "bump the version to release this commit",
            },
          );
        }
      }
      return;
    }
    case "create-release": {
      const need = contents(`create release ${op.name}`);
      try {
        const { data } = await withPermission(need, () =>
          client.rest.repos.createRelease({
            owner,
            repo,
            tag_name: op.tag,
            name: op.name,
            body: op.body,
            target_commitish: op.commit,
          }),
        );
        releases.set(op.tag, { id: data.id, uploadUrl: data.upload_url });
      } catch (error) {
        if (status(error) !== 422) throw error;
        const { data } = await client.rest.repos.getReleaseByTag({ owner, repo, tag: op.tag });
        releases.set(op.tag, { id: data.id, uploadUrl: data.upload_url });
      }
      return;
    }
    case "upload-asset": {
      const release = releases.get(op.tag);
      if (!release) throw new Error(`no release ${op.tag} to upload ${op.asset.name} to`);
      const data = await readFile(op.asset.path);
      await withPermission(contents(`upload ${op.asset.name} to release ${op.tag}`), () =>
        client.rest.repos.uploadReleaseAsset({
          owner,
          repo,
          release_id: release.id,
          url: release.uploadUrl,
          name: op.asset.name,
          data: data as unknown as string,
          headers: { "content-type": op.asset.contentType, "content-length": data.length },
        }),
      );
      return;
    }
    case "move-alias":
      return moveAlias(client, op, options);
    case "create-deployment": {
      // Another run (a concurrent check or promotion) may have recorded it since the plan was
      // made: a deployment of this commit that is pending or the environment's current one is it.
      const recorded = await readDeployments(client, {
        owner,
        repo,
        environment: op.environment,
        commit: op.commit,
      });
      if (recorded.some((d) => d.states.length === 0 || d.states.at(-1) === "success")) {
        options.log(
          `a deployment of ${op.ref} to ${op.environment} was recorded meanwhile: not recorded again`,
        );
        return;
      }
      const { data } = await withPermission(deployments(`create a deployment to ${op.environment}`), () =>
        client.rest.repos.createDeployment({
          owner,
          repo,
          ref: op.ref,
          environment: op.environment,
          description: op.description,
          auto_merge: false,
          required_contexts: [],
          production_environment: op.environment.endsWith("/production"),
          ...(op.payload ? { payload: op.payload } : {}),
        }),
      );
      if (!("id" in data))
        throw new Error(`GitHub did not create the deployment: ${data.message ?? "no reason given"}`);
      return succeed(client, options, op.environment, data.id, op.description);
    }
    case "complete-deployment":
      return succeed(client, options, op.environment, op.deploymentId, op.description);
    case "note-release": {
      const release = options.releases.find((r) => r.tag === op.tag);
      if (!release) throw new Error(`no release ${op.tag} to note`);
      const need = contents(`update release ${op.tag}`);
      const { data } = await client.rest.repos.getRelease({ owner, repo, release_id: release.id });
      const body = `${(data.body ?? "").trimEnd()}\n\n> [!NOTE]\n> ${op.note}\n${op.marker}\n`;
      await withPermission(need, () =>
        client.rest.repos.updateRelease({ owner, repo, release_id: release.id, body }),
      );
      return;
    }
  }
}

async function succeed(
  client: GitHubClient,
  options: ApplyOptions,
  environment: string,
  id: number,
  description: string,
) {
  const { owner, repo } = options;
  await withPermission(deployments(`set the status of the deployment to ${environment}`), () =>
    client.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state: "success",
      description,
      log_url: options.runUrl,
    }),
  );
}
