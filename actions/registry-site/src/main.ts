import { resolve } from "node:path";
import { DRIFT_SCHEMA, type DriftResult, type Manifest, renderSite, siteResult } from "@gauntlet/core";
import {
  actionPaths,
  createGitHubClient,
  readInputs,
  readRunContext,
  readSiteSnapshot,
  setOutputs,
} from "@gauntlet/github";
import { loadManifest, readJsonFile, resolveManifestPaths, resultPath, writeSite } from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  manifest: z.string().optional(),
  "github-token": z.string(),
  "results-dir": z.string().default(".gauntlet"),
  out: z.string().default("_site"),
});

/**
 * registry-site: reads the registry through the API (tags, releases and their result assets,
 * deployments, open drift issues; read permissions only), adds the `drift.json` a monitoring run
 * left in `results-dir`, and writes the static site into `out` for `actions/upload-pages-artifact`.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const context = readRunContext(env);
  const { cwd, resultsDir } = actionPaths({ "results-dir": inputs["results-dir"] }, env);
  const manifests: Manifest[] = [];
  if (inputs.manifest !== undefined) {
    for (const path of await resolveManifestPaths(inputs.manifest, cwd)) {
      manifests.push((await loadManifest(path, cwd)).manifest);
    }
  }
  const client = createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl });
  const snapshot = await readSiteSnapshot(client, {
    ...context.repo,
    serverUrl: context.serverUrl,
    generatedAt: new Date().toISOString(),
    manifests,
    readDrift: async (model: string) => {
      const file = resultPath(resultsDir, model, "drift");
      const raw = await readJsonFile(file);
      return raw === undefined
        ? undefined
        : { result: siteResult<DriftResult>(raw, DRIFT_SCHEMA, file), url: context.runUrl };
    },
  });
  const files = renderSite(snapshot);
  const index = await writeSite(resolve(cwd, inputs.out), files);
  setOutputs({ path: index, pages: Object.keys(files).length, models: snapshot.models.length });
}
