import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BaselineResolver } from "@gauntlet/core";
import type { GitHubClient } from "../client.js";
import { withPermission } from "../permission.js";
import { type BaselineRelease, findAliasRelease, findVersionRelease } from "./find-baseline-release.js";
import type { RepoRef } from "./tag-commit.js";

/** Where downloaded baselines go: the runner's temp directory, never the results directory. */
export interface RegistryResolverOptions {
  downloadDir: string;
}

/**
 * A baseline resolver that reads the repository's model registry (DESIGN.md, Registry
 * conventions): a version is the release tagged `<name>/v<version>`, an alias is the release whose
 * version tag points at the alias tag's commit; the release's `.onnx` asset is downloaded with the
 * token. A model with no alias tag yet has no baseline, and the note says it is the first version.
 *
 * @example
 * const resolve = registryBaselineResolver(client, { owner: "acme", repo: "models" }, { downloadDir: runnerTemp });
 * await evaluateModel(loaded, { cwd, resolveBaseline: resolve });
 */
export function registryBaselineResolver(
  client: GitHubClient,
  repo: RepoRef,
  options: RegistryResolverOptions,
): BaselineResolver {
  return async (reference, model) => {
    const find = { model: model.name, manifestFile: model.manifestFile };
    const release =
      reference.kind === "version"
        ? await findVersionRelease(client, repo, reference.value, find)
        : await findAliasRelease(client, repo, reference.value, find);
    if (!release) {
      return {
        found: false,
        note: `${model.name}/${reference.value} does not exist yet, so this is the first version of ${model.name}`,
      };
    }
    const path = await downloadAsset(client, repo, release, options.downloadDir, model.name);
    return {
      found: true,
      path,
      source: {
        kind: reference.kind,
        reference: reference.reference,
        version: release.version,
        release: release.release,
        asset: release.asset.name,
      },
    };
  };
}

/**
 * Downloads a release asset's bytes (`accept: application/octet-stream`) to
 * `<dir>/<model>-<version>.onnx` and returns the path.
 *
 * @example
 * await downloadAsset(client, repo, release, "/runner/_temp", "churn"); // "/runner/_temp/gauntlet-baseline/churn-1.2.0.onnx"
 */
export async function downloadAsset(
  client: GitHubClient,
  repo: RepoRef,
  release: BaselineRelease,
  dir: string,
  model: string,
): Promise<string> {
  const bytes = await downloadAssetBytes(client, repo, release.asset, release.release);
  const target = join(dir, "gauntlet-baseline");
  await mkdir(target, { recursive: true });
  const path = join(target, `${model}-${release.version.replace(/[^0-9A-Za-z.+-]/g, "_")}.onnx`);
  await writeFile(path, bytes);
  return path;
}

/**
 * The bytes of one release asset (`accept: application/octet-stream`), read with `contents: read`.
 *
 * @example
 * await downloadAssetBytes(client, repo, { id: 7, name: "gate.json" }, "churn v1.2.0"); // Uint8Array
 */
export async function downloadAssetBytes(
  client: GitHubClient,
  repo: RepoRef,
  asset: { id: number; name: string },
  release: string,
): Promise<Uint8Array> {
  const need = { action: `download ${asset.name} from the release ${release}`, permission: "contents: read" };
  const response = await withPermission(need, () =>
    client.rest.repos.getReleaseAsset({
      ...repo,
      asset_id: asset.id,
      headers: { accept: "application/octet-stream" },
    }),
  );
  const data = response.data as unknown;
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(String(data), "binary");
}
