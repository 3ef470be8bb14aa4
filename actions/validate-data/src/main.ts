import {
  actionPaths,
  checkVerdict,
  commonInputs,
  finishModelRun,
  forEachModel,
  modelPublisher,
  readInputs,
  readRunContext,
  writeRunRecord,
} from "@gauntlet/github";
import { loadManifest, resolveManifestPaths, validateData, writeResult } from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  data: z.string().optional(),
  features: z.string().optional(),
  reference: z.string().optional(),
});

/**
 * validate-data: checks each manifest's data against its contract, writes
 * `<results-dir>/<model>/validation.json`, and publishes the "Data" section.
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
      const { manifest, result, markdown } = await validateData(loaded, {
        cwd,
        data: inputs.data,
        features: inputs.features,
        reference: inputs.reference,
        now: new Date(),
      });
      const written = await writeResult(inputs["results-dir"], manifest.name, "validation", result, markdown);
      // Set before publishing: a GitHub failure then still leaves the step's outputs.
      Object.assign(outputs, { result: written.result, report: written.report ?? "", status: result.status });
      Object.assign(outputs, await publish(loaded, { section: "data", markdown, checks: result.checks }));
      return result.status;
    },
  );
  finishModelRun(models, checkVerdict(models, inputs["fail-on"]));
}
