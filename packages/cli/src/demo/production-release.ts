import { createHash } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import {
  aliasTag,
  environmentName,
  REGISTRY_FILE_SCHEMA,
  type RegistryFile,
  releaseName,
  UserError,
  versionTag,
} from "@gauntlet/core";
import { sha256File } from "@gauntlet/model";
import { buildReferenceProfile, type LoadedManifest } from "@gauntlet/steps";
import type { LocalReleases } from "./local-releases.js";

/** The version the fixture's prediction and shadow logs record as served: the one in production. */
export const PRODUCTION_VERSION = "1.2.0";

/** The production release as the demo set it up. */
export interface ProductionRelease {
  version: string;
  tag: string;
  /** The commit its tag and the production alias point at (a stand-in: see {@link standInCommit}). */
  commit: string;
  releases: LocalReleases;
  registryFile: string;
  profileFile: string;
}

/**
 * A commit id for a version that was never committed: the demo runs outside any repository's
 * history, so tags and the merge commit get a SHA-1 derived from what they would hold.
 *
 * @example
 * standInCommit("churn/v1.2.0", "9f86d0…"); // "5d41402a…" (40 hex digits, the same on every run)
 */
export function standInCommit(tag: string, sha256: string): string {
  return createHash("sha1").update(`gauntlet demo\n${tag}\n${sha256}\n`).digest("hex");
}

/**
 * Sets up the release the candidate is compared with, as promote would have left it: the
 * production model's file and the reference profile promote builds from `evaluation.data`
 * (`buildReferenceProfile`, for the production version and scored with its model) as the release's assets in
 * `<releasesDir>/<model>-v<version>/`, and a registry description with the version tag, the
 * release, the `production` alias and a successful deployment, written to `registryFile`.
 * `modelFile` must already be in the release directory. With `registry`, the release is added to
 * that description (another model's, released by an earlier call) instead of a new one.
 *
 * @example
 * const production = await releaseProduction(loaded, { cwd, releasesDir, modelFile, registryFile });
 * production.tag; // "churn/v1.2.0"
 */
export async function releaseProduction(
  loaded: LoadedManifest,
  options: {
    cwd: string;
    releasesDir: string;
    modelFile: string;
    registryFile: string;
    registry?: RegistryFile;
  },
): Promise<ProductionRelease> {
  const { manifest } = loaded;
  const version = PRODUCTION_VERSION;
  const dir = dirname(options.modelFile);
  const profileFile = join(dir, "profile.json");
  const profile = await buildReferenceProfile(
    { ...manifest, version },
    { cwd: options.cwd, path: profileFile, model: { path: options.modelFile, manifestFile: loaded.file } },
  );
  if (!profile) {
    throw new UserError(
      "the demo's production release needs a reference profile, built from evaluation.data",
      {
        file: loaded.file,
        field: "evaluation.data",
        fix: "set evaluation.data to the evaluation data file",
      },
    );
  }
  const model = {
    sha256: await sha256File(options.modelFile, { file: loaded.file, field: "artefact.path" }),
    size: (await stat(options.modelFile)).size,
  };
  const profileBytes = (await stat(profileFile)).size;
  const tag = versionTag(manifest.name, version);
  const commit = standInCommit(tag, model.sha256);
  const released =
    `${releaseName(manifest.name, version)} released, the ${manifest.name}/production alias on it and deployed ` +
    `(assets in ${relative(dirname(options.registryFile), dir)}/).`;
  const registry: RegistryFile = options.registry ?? {
    schema: REGISTRY_FILE_SCHEMA,
    description:
      "The registry as gauntlet demo describes it. Commits are stand-ins: the demo runs outside any repository's history.",
    tags: [],
    releases: [],
    aliases: {},
    deployments: [],
  };
  registry.description = `${registry.description ?? ""} ${released}`.trim();
  registry.tags.push({ tag, commit });
  registry.releases.push({
    tag,
    name: releaseName(manifest.name, version),
    body: "",
    assets: [
      { name: "model.onnx", size: model.size },
      { name: "profile.json", size: profileBytes },
    ],
  });
  registry.aliases[aliasTag(manifest.name, "production")] = commit;
  registry.deployments.push({
    environment: environmentName(manifest.name, "production"),
    commit,
    states: ["success"],
  });
  await mkdir(dirname(options.registryFile), { recursive: true });
  await writeFile(options.registryFile, `${JSON.stringify(registry, null, 2)}\n`);
  return {
    version,
    tag,
    commit,
    releases: { registry, dir: options.releasesDir },
    registryFile: options.registryFile,
    profileFile,
  };
}
