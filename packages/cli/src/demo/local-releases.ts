import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type BaselineResolver,
  type Manifest,
  type RegistryFile,
  registryStateOf,
  UserError,
  versionAt,
  versionTag,
} from "@gauntlet/core";
import { type LoadedReference, parseProfile, readJsonFile, sourceOf } from "@gauntlet/steps";

/**
 * Releases kept on disk instead of on GitHub: a registry description (`gauntlet/registry@1`) says
 * which versions are released and where each alias points, and the assets of the release tagged
 * `<model>/v<version>` are files in `<dir>/<model>-v<version>/`.
 */
export interface LocalReleases {
  registry: RegistryFile;
  dir: string;
}

/** A release found in {@link LocalReleases}. */
export interface LocalRelease {
  version: string;
  tag: string;
  /** The release's title, e.g. `churn v1.2.0`. */
  name: string;
  /** Where its assets are. */
  dir: string;
  assets: string[];
}

/**
 * Where the assets of a released version are kept.
 *
 * @example
 * releaseDir("demo-out/releases", "churn", "1.2.0"); // "demo-out/releases/churn-v1.2.0"
 */
export function releaseDir(dir: string, model: string, version: string): string {
  return join(dir, `${model}-v${version}`);
}

/**
 * The release a version or an alias names, as the registry reader on GitHub finds it: a version
 * is the release of its tag; an alias is the release whose version tag points at the alias's
 * commit. `undefined` when the alias or the release does not exist.
 *
 * @example
 * findLocalRelease(releases, "churn", { kind: "alias", value: "production" });
 * // { version: "1.2.0", tag: "churn/v1.2.0", name: "churn v1.2.0", dir: "demo-out/releases/churn-v1.2.0", assets: ["model.onnx", "profile.json"] }
 */
export function findLocalRelease(
  releases: LocalReleases,
  model: string,
  reference: { kind: "version" | "alias"; value: string },
): LocalRelease | undefined {
  const stage = reference.kind === "alias" ? reference.value : "production";
  const state = registryStateOf(releases.registry, { model, stage, commit: "" });
  const version =
    reference.kind === "version"
      ? reference.value.replace(/^v/, "")
      : state.alias
        ? versionAt(state.tags, state.alias.commit)
        : undefined;
  if (version === undefined) return undefined;
  const tag = versionTag(model, version);
  const release = state.releases.find((r) => r.tag === tag);
  if (!release) return undefined;
  return {
    version,
    tag,
    name: release.name,
    dir: releaseDir(releases.dir, model, version),
    assets: release.assets.map((a) => a.name),
  };
}

/**
 * A baseline resolver over {@link LocalReleases}: what `registryBaselineResolver` does with the
 * GitHub API (find the release, take its `.onnx` asset), with the asset read from disk.
 *
 * @example
 * await evaluateModel(loaded, { cwd, resolveBaseline: localBaselineResolver(releases) });
 * // evaluation.json: baseline.source = { kind: "alias", reference: "production", version: "1.2.0", ... }
 */
export function localBaselineResolver(releases: LocalReleases): BaselineResolver {
  return async (reference, model) => {
    const release = findLocalRelease(releases, model.name, reference);
    if (!release) {
      return {
        found: false,
        note: `${model.name}/${reference.value} does not exist yet, so this is the first version of ${model.name}`,
      };
    }
    const asset = release.assets.find((name) => name.endsWith(".onnx"));
    const path = asset === undefined ? undefined : join(release.dir, asset);
    if (asset === undefined || path === undefined || !existsSync(path)) {
      throw new UserError(`the release ${release.tag} has no .onnx asset to compare with`, {
        file: model.manifestFile,
        field: "evaluation.baseline",
        fix: `put the released model file in ${release.dir}`,
      });
    }
    return {
      found: true,
      path,
      source: {
        kind: reference.kind,
        reference: reference.reference,
        version: release.version,
        release: release.name,
        asset,
      },
    };
  };
}

/**
 * The reference profile `drift-check` reads for an alias: the `profile.json` asset of the
 * release the alias points at, checked to be this model's profile.
 *
 * @example
 * const reference = await localReleaseProfile(releases, manifest, "production");
 * reference.source; // { kind: "release", location: "churn/v1.2.0", model: { name: "churn", version: "1.2.0" }, rows: 5000 }
 */
export async function localReleaseProfile(
  releases: LocalReleases,
  manifest: Manifest,
  alias: string,
): Promise<LoadedReference> {
  const release = findLocalRelease(releases, manifest.name, { kind: "alias", value: alias });
  const path = release ? join(release.dir, "profile.json") : undefined;
  const value = path && release?.assets.includes("profile.json") ? await readJsonFile(path) : undefined;
  if (!release || value === undefined) {
    throw new UserError(`${manifest.name}/${alias} has no release with a profile.json to compare with`, {
      field: "monitoring.reference",
      fix: "release a version with evaluation.data (promote attaches its profile.json)",
    });
  }
  const profile = parseProfile(value, `profile.json of release ${release.tag}`, manifest.name);
  return { profile, source: sourceOf("release", release.tag, profile) };
}
