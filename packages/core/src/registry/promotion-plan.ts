import { UserError } from "../errors/user-error.js";
import { compareVersions, isVersion } from "./compare-versions.js";
import { aliasTag, environmentName, releaseName, versionTag } from "./registry-names.js";
import type { AssetFile, RegistryOperation, RegistryPlan } from "./registry-operation.js";
import type { RegistryState, VersionTagState } from "./registry-state.js";

/** Everything {@link planPromotion} decides from: the version to release and the registry as read. */
export interface PromotionPlanInput {
  model: string;
  version: string;
  /** The commit to tag: the merge commit the push brought, which the gate evaluated or merged. */
  commit: string;
  stage: string;
  /** The manifest, for error messages. */
  manifestFile: string;
  state: RegistryState;
  /** The release body. */
  card: string;
  assets: AssetFile[];
  /** The artefact's asset name: a released artefact of another size is an error, not kept. */
  artefactName: string;
  /** Payload of the deployment recorded (a rollout stage's share); none without a rollout. */
  payload?: Record<string, unknown>;
}

const short = (sha: string): string => sha.slice(0, 7);

/**
 * The highest version among `tags` pointing at `commit` (two bumps can share a merge commit).
 *
 * @example
 * versionAt(tags, "9f8e7d6c…"); // "1.3.0"
 */
export function versionAt(tags: readonly VersionTagState[], commit: string): string | undefined {
  return latestOf(tags.filter((t) => t.commit === commit))?.version;
}

/**
 * The tag of the highest version, ignoring tags whose suffix is not a semantic version.
 *
 * @example
 * latestOf([{ version: "1.9.0", ... }, { version: "1.10.0", ... }])?.version; // "1.10.0"
 */
export function latestOf(tags: readonly VersionTagState[]): VersionTagState | undefined {
  let best: VersionTagState | undefined;
  for (const tag of tags) {
    if (!isVersion(tag.version)) continue;
    if (!best || compareVersions(tag.version, best.version) > 0) best = tag;
  }
  return best;
}

/**
 * Plans the promotion of one model version: tag, release, assets, alias, deployment — only what
 * the registry lacks. Refuses (as a {@link UserError}) a version tag that exists at another commit
 * and a version not greater than the latest released one. Leaves the alias alone when it already
 * points at a newer version (a concurrent promotion won) or when this version's deployment already
 * succeeded once (a re-run must not undo a later rollback).
 *
 * @example
 * const plan = planPromotion({ model: "churn", version: "1.3.0", commit, stage: "production",
 *   manifestFile: "models/churn/model.yml", state, card, assets, artefactName: "model.onnx" });
 * plan.operations.map((op) => op.kind);
 * // ["create-tag", "create-release", "upload-asset", "upload-asset", "move-alias", "create-deployment"]
 */
export function planPromotion(input: PromotionPlanInput): RegistryPlan {
  const { model, version, commit, state } = input;
  const tag = versionTag(model, version);
  const operations: RegistryOperation[] = [];
  const kept: string[] = [];
  const where = { file: input.manifestFile, field: "version" };

  const existing = state.tags.find((t) => t.tag === tag);
  if (existing && existing.commit !== commit) {
    throw new UserError(
      `tag ${tag} already exists at commit ${short(existing.commit)}, not at ${short(commit)}: released versions are immutable`,
      {
        ...where,
        fix: `bump version (e.g. above ${version}) to release this commit, or leave ${tag} as it is`,
      },
    );
  }
  if (existing) kept.push(`tag ${tag} exists at ${short(commit)}`);
  else {
    const latest = latestOf(state.tags);
    if (latest && compareVersions(version, latest.version) <= 0) {
      throw new UserError(
        `version ${version} is not greater than the latest released version ${latest.version} (tag ${latest.tag})`,
        { ...where, fix: `set version to a semantic version greater than ${latest.version}` },
      );
    }
    operations.push({
      kind: "create-tag",
      tag,
      commit,
      message: `${releaseName(model, version)}\n\nPromoted by gauntlet.`,
    });
  }

  const release = state.releases.find((r) => r.tag === tag);
  if (!release) {
    operations.push({
      kind: "create-release",
      tag,
      name: releaseName(model, version),
      commit,
      body: input.card,
    });
  } else kept.push(`release "${release.name}" exists`);
  for (const asset of input.assets) {
    const uploaded = release?.assets.find((a) => a.name === asset.name);
    if (!uploaded) operations.push({ kind: "upload-asset", tag, asset });
    else if (uploaded.size !== asset.size && asset.name === input.artefactName) {
      throw new UserError(
        `release ${tag} already has an asset ${asset.name} of ${uploaded.size} bytes, but the artefact has ${asset.size}`,
        {
          file: input.manifestFile,
          field: "artefact.path",
          fix: `delete the broken asset ${asset.name} from the release and re-run`,
        },
      );
    } else kept.push(`asset ${asset.name} is on the release`);
  }

  planAlias(input, operations, kept);
  return { model, version, commit, operations, kept };
}

function planAlias(input: PromotionPlanInput, operations: RegistryOperation[], kept: string[]): void {
  const { model, version, commit, stage, state } = input;
  const alias = aliasTag(model, stage);
  const environment = environmentName(model, stage);
  const ref = versionTag(model, version);
  if (state.deployments.some((d) => d.commit === commit && d.states.includes("success"))) {
    kept.push(
      `${ref} was deployed to ${environment} before: alias ${alias} and deployments left as they are`,
    );
    return;
  }
  const aliasVersion = state.alias ? versionAt(state.tags, state.alias.commit) : undefined;
  if (aliasVersion !== undefined && isVersion(aliasVersion) && compareVersions(aliasVersion, version) > 0) {
    kept.push(
      `alias ${alias} points at the newer version ${aliasVersion}: left there, no deployment recorded`,
    );
    return;
  }
  if (state.alias?.commit === commit) kept.push(`alias ${alias} points at ${short(commit)}`);
  else
    operations.push({
      kind: "move-alias",
      tag: alias,
      from: state.alias?.commit ?? null,
      to: commit,
      force: false,
    });
  const description = `${model} ${version} promoted to ${stage}`;
  const pending = state.deployments.find((d) => d.commit === commit && d.states.length === 0);
  if (pending)
    operations.push({
      kind: "complete-deployment",
      environment,
      deploymentId: pending.id,
      commit,
      description,
    });
  else
    operations.push({
      kind: "create-deployment",
      environment,
      ref,
      commit,
      description,
      ...(input.payload ? { payload: input.payload } : {}),
    });
}
