import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createProfileBuilder, kindsFromContract, type Manifest, type Profile } from "@gauntlet/core";
import { readTable } from "@gauntlet/data";

/**
 * Streams the manifest's evaluation data into the reference profile `drift-check` compares
 * prediction logs against (per-feature histograms and quantile sketches, category frequencies),
 * and writes it to `path` as `profile.json`. Returns `undefined` without `evaluation.data`.
 *
 * @example
 * await buildReferenceProfile(manifest, { cwd, path: ".gauntlet/churn/profile.json" });
 * // { schema: "gauntlet/profile@1", model: { name: "churn", version: "1.3.0" }, rows: 5000, ... }
 */
export async function buildReferenceProfile(
  manifest: Manifest,
  options: { cwd: string; path: string },
): Promise<Profile | undefined> {
  const data = manifest.evaluation?.data;
  if (!data) return undefined;
  const builder = createProfileBuilder({ model: { name: manifest.name, version: manifest.version } });
  const kinds = manifest.data ? kindsFromContract(manifest.data) : undefined;
  for await (const batch of readTable(data, { cwd: options.cwd, ...(kinds ? { kinds } : {}) }))
    builder.add(batch);
  const profile = builder.finish();
  await mkdir(dirname(options.path), { recursive: true });
  await writeFile(options.path, `${JSON.stringify(profile)}\n`);
  return profile;
}
