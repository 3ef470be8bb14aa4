import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type AssetFile, type Manifest, rolloutFile, stagePayload } from "@gauntlet/core";

/** Where a merge releases a version with `rollout:`: its first stage, the deployment payload and `rollout.json`. */
export interface RolloutRelease {
  stage: string;
  payload: Record<string, unknown>;
  asset: AssetFile;
}

/**
 * With `rollout:`, a merge releases to the first stage: this writes `rollout.json` into
 * `<resultsDir>/<model>/` (to attach to the release) and returns the stage and the deployment
 * payload carrying its traffic share. `null` without `rollout:` (promote releases to production).
 *
 * @example
 * const staged = await rolloutRelease(manifest, ".gauntlet");
 * staged?.stage; // "canary"
 */
export async function rolloutRelease(manifest: Manifest, resultsDir: string): Promise<RolloutRelease | null> {
  const rollout = manifest.rollout;
  if (!rollout) return null;
  const first = rollout.stages[0]!;
  const dir = join(resultsDir, manifest.name);
  await mkdir(dir, { recursive: true });
  const path = join(dir, "rollout.json");
  const text = `${JSON.stringify(rolloutFile(manifest, rollout), null, 2)}\n`;
  await writeFile(path, text);
  return {
    stage: first.stage,
    payload: stagePayload(manifest.name, manifest.version, first),
    asset: { name: "rollout.json", path, size: Buffer.byteLength(text), contentType: "application/json" },
  };
}
