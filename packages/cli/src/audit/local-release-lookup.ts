import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type AuditReleaseLookup, UserError, versionTag } from "@gauntlet/core";
import { findLocalRelease, type LocalReleases } from "../demo/local-releases.js";

/**
 * The releases of an offline registry (a `gauntlet/registry@1` description and a folder of
 * assets, as `gauntlet demo` writes them) as an audit reads them: the version's release, the
 * commit its tag points at, its body and its `.onnx` asset on disk.
 *
 * @example
 * const lookup = localReleaseLookup({ registry, dir: "demo-out/releases" }, { model: "churn", registryFile: "demo-out/registry.json" });
 * (await lookup("1.2.0")).model.path; // "demo-out/releases/churn-v1.2.0/model.onnx"
 */
export function localReleaseLookup(
  releases: LocalReleases,
  options: { model: string; registryFile: string },
): AuditReleaseLookup {
  return async (version) => {
    const release = findLocalRelease(releases, options.model, { kind: "version", value: version });
    const tag = versionTag(options.model, version);
    if (!release) {
      throw new UserError(
        `version ${version} served the request, but ${tag} is not released in the registry`,
        {
          file: options.registryFile,
          field: "releases",
          fix: `audit against the registry that released ${tag} (--registry), or check monitoring.version-field logs the released version`,
        },
      );
    }
    const asset = release.assets.find((name) => name.toLowerCase().endsWith(".onnx"));
    const path = asset === undefined ? undefined : join(release.dir, asset);
    if (asset === undefined || path === undefined || !existsSync(path)) {
      throw new UserError(`the release ${release.tag} has no .onnx asset on disk to re-score with`, {
        file: options.registryFile,
        field: "releases",
        fix: `put the released model file in ${release.dir}`,
      });
    }
    const body = releases.registry.releases.find((r) => r.tag === release.tag)?.body ?? "";
    return {
      tag: release.tag,
      name: release.name,
      commit: releases.registry.tags.find((t) => t.tag === release.tag)?.commit ?? null,
      body,
      model: { asset, path },
      readAsset: async (name) =>
        release.assets.includes(name) && existsSync(join(release.dir, name))
          ? readFile(join(release.dir, name), "utf8")
          : undefined,
    };
  };
}
