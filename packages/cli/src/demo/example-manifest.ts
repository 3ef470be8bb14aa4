import { basename, dirname } from "node:path";
import { UserError } from "@gauntlet/core";
import { type LoadedManifest, loadManifest, resolveManifestPaths } from "@gauntlet/steps";

/**
 * The example's manifest: its one `models/<name>/model.yml`, or with several, the model named
 * like the example's folder (`examples/churn` -> `models/churn/model.yml`), as found or as given
 * in `shownAs`.
 */
export async function loadExampleManifest(exampleDir: string, shownAs: string): Promise<LoadedManifest> {
  const found = await resolveManifestPaths("models/*/model.yml", exampleDir).catch(() => []);
  // A copy of the example (a temporary folder) is still named by how the example was given.
  const names = new Set([basename(exampleDir), basename(shownAs)]);
  const named = found.filter((p) => names.has(basename(dirname(p))));
  const paths = found.length > 1 && named.length === 1 ? named : found;
  if (paths.length !== 1) {
    throw new UserError(
      paths.length === 0
        ? `${shownAs} has no models/<name>/model.yml`
        : `${shownAs} has ${paths.length} manifests; the demo runs one model`,
      { field: "--example", fix: "pass --example examples/churn (the bundled example)" },
    );
  }
  return loadManifest(paths[0]!, exampleDir);
}
