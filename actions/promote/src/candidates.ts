import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { declaredVersion, UserError } from "@gauntlet/core";
import { bumpedManifests, type GitHubClient, type RunContext } from "@gauntlet/github";
import { isManifestGlob, resolveManifestPaths } from "@gauntlet/steps";

/**
 * The manifests to promote. On a push with a glob, only those whose `version:` the pushed commits
 * changed — found however many files the push touched (see `bumpedManifests`); otherwise every
 * manifest the input names. A push to another branch than the
 * default is a workflow mistake: releases come from the default branch only.
 */
export async function promotionCandidates(
  client: GitHubClient,
  context: RunContext,
  pattern: string,
  cwd: string,
): Promise<string[]> {
  const paths = await resolveManifestPaths(pattern, cwd);
  if (context.eventName !== "push") return paths;
  const repository = context.payload["repository"] as { default_branch?: string } | undefined;
  const branch = repository?.default_branch;
  if (branch && context.ref !== `refs/heads/${branch}`) {
    throw new UserError(
      `promote releases from the default branch ${branch}, but this push is to ${context.ref}`,
      {
        fix: `limit the workflow to \`on: push: branches: [${branch}]\``,
      },
    );
  }
  if (!isManifestGlob(pattern)) return paths;
  const before = typeof context.payload["before"] === "string" ? context.payload["before"] : undefined;
  const atHead = await Promise.all(
    paths.map(async (path) => ({
      path,
      version: declaredVersion(await readFile(resolve(cwd, path), "utf8").catch(() => "")),
    })),
  );
  const bumps = await bumpedManifests(client, { ...context.repo, before, after: context.sha }, atHead);
  const selected: string[] = [];
  for (const { path, bumped, via } of bumps) {
    if (bumped) selected.push(path);
    else if (via === "diff") console.log(`${path} changed without a version bump: not promoted`);
  }
  if (selected.length === 0)
    console.log(`No manifest matching ${pattern} changed its version in this push: nothing to promote.`);
  return selected;
}
