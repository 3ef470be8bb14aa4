import { tmpdir } from "node:os";
import {
  actionPaths,
  checkVerdict,
  commonInputs,
  createGitHubClient,
  finishModelRun,
  forEachModel,
  modelPublisher,
  readInputs,
  readRunContext,
  registryBaselineResolver,
  writeRunRecord,
} from "@gauntlet/github";
import { checkBehaviour, loadManifest, resolveManifestPaths, writeResult } from "@gauntlet/steps";
import * as z from "zod";

/** Mirrors action.yml. */
const inputsSchema = z.object({
  ...commonInputs,
  "production-model": z.string().optional(),
  data: z.string().optional(),
});

/**
 * check-behaviour: runs each manifest's behavioural tests (known cases, invariance, directional
 * expectations, edge cases from the data contract, robustness and out-of-distribution probes) on
 * the candidate and the production model, writes `<results-dir>/<model>/behaviour.json`, and
 * publishes the "Behaviour" section. Without `production-model`, the release named by
 * `evaluation.baseline` (e.g. the `production` alias) is downloaded, as evaluate-slices does.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs(inputsSchema, env);
  const context = readRunContext(env);
  const { cwd, resultsDir } = actionPaths(inputs, env);
  await writeRunRecord(resultsDir, context);
  const client = createGitHubClient(inputs["github-token"], { apiUrl: context.apiUrl });
  const resolveBaseline = registryBaselineResolver(client, context.repo, {
    downloadDir: env["RUNNER_TEMP"] || tmpdir(),
  });
  const publish = modelPublisher({ context, token: inputs["github-token"], comment: inputs.comment });
  const models = await forEachModel(
    await resolveManifestPaths(inputs.manifest, cwd),
    async (path, outputs) => {
      const loaded = await loadManifest(path, cwd);
      // A glob (models/*/model.yml) tests the models that declare behaviour: (a model whose scores
      // are supplied has no model here to probe); a path names one that must.
      if (!loaded.manifest.behaviour && /[*?[\]{}]/.test(inputs.manifest)) {
        console.log(`${loaded.manifest.name}: no behaviour: section, skipped`);
        return "pass";
      }
      const { manifest, result, markdown } = await checkBehaviour(loaded, {
        cwd,
        productionModel: inputs["production-model"],
        data: inputs.data,
        resolveBaseline,
      });
      const written = await writeResult(inputs["results-dir"], manifest.name, "behaviour", result, markdown);
      // Set before publishing: a GitHub failure then still leaves the step's outputs.
      Object.assign(outputs, {
        result: written.result,
        report: written.report ?? "",
        status: result.status,
        failed: String(result.checks.filter((c) => c.status === "fail").length),
        "newly-failing": result.tests
          .filter((t) => t.newlyFailing)
          .map((t) => t.name)
          .join(","),
      });
      Object.assign(
        outputs,
        await publish(loaded, { section: "behaviour", markdown, checks: result.checks }),
      );
      return result.status;
    },
  );
  finishModelRun(models, checkVerdict(models, inputs["fail-on"]));
}
