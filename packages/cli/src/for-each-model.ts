import { type CheckStatus, type FailOn, failsStep, worstStatus } from "@gauntlet/core";
import { type LoadedManifest, loadManifest, resolveManifestPaths } from "@gauntlet/steps";
import type { CliIo } from "./io.js";

/**
 * Loads each manifest that `--manifest` names (a path or a glob), in order, runs `each` on it and
 * returns what each returned. Unlike the actions, a command stops at the first user mistake:
 * `main` prints it as one `error:` line and exits 1.
 *
 * @example
 * const statuses = await forEachModel("models/*\/model.yml", io, async (loaded) => {
 *   const { result } = await validateData(loaded, options);
 *   return result.status;
 * }); // ["pass", "warn"]
 */
export async function forEachModel<R>(
  manifest: string,
  io: CliIo,
  each: (loaded: LoadedManifest) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (const path of await resolveManifestPaths(manifest, io.cwd)) {
    results.push(await each(await loadManifest(path, io.cwd)));
  }
  return results;
}

/**
 * The exit code of a command whose models end `pass`, `warn` or `fail`: 1 when the worst of them
 * fails the step under `--fail-on`, else 0.
 *
 * @example
 * exitCodeFor(["pass", "warn"], "error"); // 0
 * exitCodeFor(["pass", "warn"], "warning"); // 1
 */
export function exitCodeFor(statuses: Iterable<CheckStatus>, failOn: FailOn): number {
  return failsStep(worstStatus(statuses), failOn) ? 1 : 0;
}
