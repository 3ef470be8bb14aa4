import {
  actionPaths,
  booleanInput,
  checkVerdict,
  commonInputs,
  finishModelRun,
  forEachModel,
  modelPublisher,
  readInputs,
  readRunContext,
  writeRunRecord,
} from "@gauntlet/github";
import { compareShadow, loadManifest, resolveManifestPaths, writeResult } from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  log: z.string().optional(),
  "champion-model": z.string().optional(),
  "champion-version": z.string().optional(),
  "version-field": z.string().optional(),
  outcome: z.string().optional(),
  "challenger-latency": z.string().optional(),
  "show-rows": booleanInput().default(false),
});

/**
 * shadow-compare: compares each manifest's candidate with the served champion on logged traffic,
 * writes `<results-dir>/<model>/shadow.json`, and publishes the "Shadow" section.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const context = readRunContext(env);
  const { cwd, resultsDir } = actionPaths(inputs, env);
  await writeRunRecord(resultsDir, context);
  const publish = modelPublisher({ context, token: inputs["github-token"], comment: inputs.comment });
  const models = await forEachModel(
    await resolveManifestPaths(inputs.manifest, cwd),
    async (path, outputs) => {
      const loaded = await loadManifest(path, cwd);
      const { manifest, result, markdown } = await compareShadow(loaded, {
        cwd,
        log: inputs.log,
        championModel: inputs["champion-model"],
        championVersion: inputs["champion-version"],
        versionField: inputs["version-field"],
        outcome: inputs.outcome,
        challengerLatency: inputs["challenger-latency"],
        showRows: inputs["show-rows"],
      });
      const written = await writeResult(inputs["results-dir"], manifest.name, "shadow", result, markdown);
      // Set before publishing: a GitHub failure then still leaves the step's outputs.
      Object.assign(outputs, {
        result: written.result,
        report: written.report ?? "",
        status: result.status,
        recommendation: result.recommendation,
        disagreement: String(result.agreement.disagreement ?? ""),
      });
      Object.assign(outputs, await publish(loaded, { section: "shadow", markdown, checks: result.checks }));
      return result.status;
    },
  );
  finishModelRun(models, checkVerdict(models, inputs["fail-on"]));
}
