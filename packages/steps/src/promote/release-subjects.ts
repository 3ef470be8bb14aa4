import { writeFile } from "node:fs/promises";
import { isAbsolute, relative } from "node:path";
import type { AssetFile } from "@gauntlet/core";
import { sha256File } from "@gauntlet/model";

/** One released asset as an attestation subject: its name in the release, its file and digest. */
export interface ReleaseSubject {
  /** `<tag>/<asset>`, e.g. `churn/v1.3.0/model.onnx`: unique across the models of one run. */
  name: string;
  asset: string;
  /** The file that was uploaded, relative to the workspace when inside it. */
  path: string;
  sha256: string;
}

/**
 * The assets a release uploads, hashed: what `actions/attest-build-provenance` attests. The
 * digests are of the very files promote uploads, so they are the digests of the release's assets.
 *
 * @example
 * await releaseSubjects("churn/v1.3.0", prepared.assets, cwd);
 * // [{ name: "churn/v1.3.0/model.onnx", asset: "model.onnx", path: "models/churn/model.onnx", sha256: "9f86…" }, …]
 */
export async function releaseSubjects(
  tag: string,
  assets: readonly AssetFile[],
  cwd: string,
): Promise<ReleaseSubject[]> {
  const subjects: ReleaseSubject[] = [];
  for (const asset of assets) {
    const inside = relative(cwd, asset.path);
    subjects.push({
      name: `${tag}/${asset.name}`,
      asset: asset.name,
      path: inside.startsWith("..") || isAbsolute(inside) ? asset.path : inside,
      sha256: await sha256File(asset.path, { file: asset.path, field: "release asset" }),
    });
  }
  return subjects;
}

/**
 * Writes subjects in `sha256sum` format (`<hex>  <name>` per line), the format of
 * `actions/attest-build-provenance`'s `subject-checksums` input.
 *
 * @example
 * await writeSubjectChecksums(".gauntlet/release-checksums.txt", subjects);
 * // "9f86…  churn/v1.3.0/model.onnx\n4e1b…  churn/v1.3.0/evaluation.json\n"
 */
export async function writeSubjectChecksums(
  path: string,
  subjects: readonly ReleaseSubject[],
): Promise<void> {
  await writeFile(path, subjects.map((s) => `${s.sha256}  ${s.name}\n`).join(""));
}
