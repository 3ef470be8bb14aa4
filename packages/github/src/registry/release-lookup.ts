import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type AuditReleaseLookup, releaseName, UserError, versionTag } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { releaseByTag } from "./find-baseline-release.js";
import { downloadAssetBytes } from "./registry-baseline-resolver.js";
import { type RepoRef, tagCommit } from "./tag-commit.js";

/** What {@link registryReleaseLookup} needs besides the client. */
export interface ReleaseLookupOptions {
  model: string;
  manifestFile: string;
  /** Where the model asset is downloaded to (a temp folder, never the results directory). */
  downloadDir: string;
}

/**
 * The releases of the repository's registry as an audit reads them: the published release
 * tagged `<model>/v<version>`, the commit its tag points at (annotated tags peeled), its body
 * (the model card), its one `.onnx` asset downloaded to `downloadDir`, and its other assets
 * downloaded on demand. A version with no published release is a {@link UserError}.
 *
 * @example
 * const lookup = registryReleaseLookup(client, { owner: "acme", repo: "models" }, { model: "churn", manifestFile, downloadDir });
 * (await lookup("1.2.0")).commit; // "4f2c…"
 */
export function registryReleaseLookup(
  client: GitHubClient,
  repo: RepoRef,
  options: ReleaseLookupOptions,
): AuditReleaseLookup {
  return async (version) => {
    const tag = versionTag(options.model, version);
    const release = await releaseByTag(client, repo, tag);
    if (!release || release.draft) {
      throw new UserError(
        `version ${version} served the request, but ${repo.owner}/${repo.repo} has no published release ${tag}`,
        {
          file: options.manifestFile,
          field: "monitoring.version-field",
          fix: `check the logged version, and that --repo names the repository whose registry released ${tag}`,
        },
      );
    }
    const name = release.name || releaseName(options.model, version);
    const onnx = release.assets.filter((a) => a.name.toLowerCase().endsWith(".onnx"));
    if (onnx.length !== 1) {
      throw new UserError(
        `the release "${name}" has ${onnx.length === 0 ? "no .onnx asset" : `${onnx.length} .onnx assets`}, so its model cannot be re-scored`,
        {
          file: options.manifestFile,
          field: "artefact.path",
          fix: "attach exactly one .onnx artefact to the release (promote does)",
        },
      );
    }
    const model = onnx[0]!;
    const dir = join(options.downloadDir, "gauntlet-audit");
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${options.model}-${version.replace(/[^0-9A-Za-z.+-]/g, "_")}.onnx`);
    await writeFile(path, await downloadAssetBytes(client, repo, model, name));
    return {
      tag,
      name,
      commit: (await tagCommit(client, repo, tag)) ?? null,
      body: release.body ?? "",
      model: { asset: model.name, path },
      readAsset: async (assetName) => {
        const asset = release.assets.find((a) => a.name === assetName);
        if (!asset) return undefined;
        return new TextDecoder().decode(await downloadAssetBytes(client, repo, asset, name));
      },
    };
  };
}
