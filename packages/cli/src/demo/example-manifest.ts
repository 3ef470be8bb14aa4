import { UserError } from "@gauntlet/core";
import { type LoadedManifest, loadManifest, resolveManifestPaths } from "@gauntlet/steps";

/** The example's one manifest, `models/<name>/model.yml`. */
export async function loadExampleManifest(exampleDir: string, shownAs: string): Promise<LoadedManifest> {
  const paths = await resolveManifestPaths("models/*/model.yml", exampleDir).catch(() => []);
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
