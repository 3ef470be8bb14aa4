import { REFERENCE_SAMPLE_FILE, UserError } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { type ReleaseData, releaseAtAlias } from "./find-baseline-release.js";
import { downloadAssetBytes } from "./registry-baseline-resolver.js";
import type { RepoRef } from "./tag-commit.js";

/** Largest profile.json accepted from a release: it is untrusted input. */
export const MAX_PROFILE_BYTES = 50 * 1024 * 1024;

/** Largest reference sample accepted from a release (a Parquet file of at most 10M rows). */
export const MAX_REFERENCE_SAMPLE_BYTES = 1024 * 1024 * 1024;

/**
 * Downloads `profile.json` of the release an alias points at. The alias tag `<name>/<alias>`
 * (e.g. `churn/production`) is resolved to its commit, and the release whose version tag
 * `<name>/v<version>` is at the same commit is the one whose profile is used. Returns the parsed
 * JSON (still to be checked with `parseProfile`), the release tag, and the bytes of its reference
 * sample (`reference-sample.parquet`) when the release has one (releases promoted before it
 * existed do not), and its `evaluation.json` (parsed, unchecked) when it has one: the released
 * evaluation prediction-health limits measure a drop from, and when the release was published
 * (retraining triggers count from it).
 *
 * @example
 * await downloadReleaseProfile(client, { owner: "acme", repo: "models", model: "churn", alias: "production" });
 * // { value: { schema: "gauntlet/profile@1", ... }, tag: "churn/v1.2.0", published: "2025-05-20T09:00:00Z" }
 */
export async function downloadReleaseProfile(
  client: GitHubClient,
  target: { owner: string; repo: string; model: string; alias: string },
): Promise<{ value: unknown; tag: string; published: string; sample?: Uint8Array; evaluation?: unknown }> {
  const repo = { owner: target.owner, repo: target.repo };
  const { tag: alias, commit, release } = await releaseAtAlias(client, repo, target.model, target.alias);
  if (!commit) {
    throw new UserError(
      `there is no alias tag ${alias}, so there is no ${target.alias} release to compare against`,
      {
        field: "monitoring.reference",
        fix: `promote a version of ${target.model} first, or set monitoring.reference (or the reference input) to a profile.json or data file`,
      },
    );
  }
  if (!release) {
    throw new UserError(
      `no release of ${target.model} is at the commit ${alias} points to (${commit.slice(0, 7)})`,
      {
        field: "monitoring.reference",
        fix: `move ${alias} with promote (it creates the release ${target.model} v<version> with profile.json)`,
      },
    );
  }
  const asset = release.assets.find((a) => a.name === "profile.json");
  if (!asset) {
    throw new UserError(`release ${release.name ?? release.tag_name} has no profile.json asset`, {
      field: "monitoring.reference",
      fix: "re-run promote with evaluation.data set (it attaches profile.json), or point the reference at a file",
    });
  }
  if (asset.size > MAX_PROFILE_BYTES) {
    throw new UserError(
      `profile.json of ${release.tag_name} is ${asset.size} bytes (limit ${MAX_PROFILE_BYTES})`,
      {
        field: "monitoring.reference",
        fix: "check the release asset: a gauntlet profile is a few megabytes at most",
      },
    );
  }
  const text = new TextDecoder().decode(await downloadAssetBytes(client, repo, asset, release.tag_name));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`profile.json of ${release.tag_name} is not valid JSON`, {
      field: "monitoring.reference",
      fix: "re-upload the profile written by promote, or point the reference at a file",
    });
  }
  const evaluation = await downloadEvaluation(client, repo, release);
  const found = {
    value,
    tag: release.tag_name,
    published: release.published_at ?? release.created_at,
    ...(evaluation === undefined ? {} : { evaluation }),
  };
  const sampleAsset = release.assets.find((a) => a.name === REFERENCE_SAMPLE_FILE);
  if (!sampleAsset) return found;
  if (sampleAsset.size > MAX_REFERENCE_SAMPLE_BYTES) {
    throw new UserError(
      `${REFERENCE_SAMPLE_FILE} of ${release.tag_name} is ${sampleAsset.size} bytes (limit ${MAX_REFERENCE_SAMPLE_BYTES})`,
      {
        field: "monitoring.reference-sample",
        fix: "lower monitoring.reference-sample.max-rows and promote again, or point the reference at a file",
      },
    );
  }
  return { ...found, sample: await downloadAssetBytes(client, repo, sampleAsset, release.tag_name) };
}

/** Largest evaluation.json read from a release. */
const MAX_EVALUATION_BYTES = 20 * 1024 * 1024;

/** The release's `evaluation.json`, parsed; `undefined` when it has none or it is not JSON. */
async function downloadEvaluation(
  client: GitHubClient,
  repo: RepoRef,
  release: ReleaseData,
): Promise<unknown> {
  const asset = release.assets.find((a) => a.name === "evaluation.json");
  if (!asset || asset.size > MAX_EVALUATION_BYTES) return undefined;
  const bytes = await downloadAssetBytes(client, repo, asset, release.tag_name);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
