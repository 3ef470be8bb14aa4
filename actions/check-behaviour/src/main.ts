import { tmpdir } from "node:os";
import { commonInputs, modelAction, registryBaselineResolver, runModelAction } from "@gauntlet/github";
import { checkBehaviour, isManifestGlob, modelStep } from "@gauntlet/steps";
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
export function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return runModelAction(env, inputsSchema, async ({ inputs, cwd, client, context }) => {
    const resolveBaseline = registryBaselineResolver(client, context.repo, {
      downloadDir: env["RUNNER_TEMP"] || tmpdir(),
    });
    const place = { cwd, resultsDir: inputs["results-dir"] };
    const step = await modelStep(inputs.manifest, "behaviour", place, async (loaded) => {
      // A glob (models/*/model.yml) tests the models that declare behaviour: (a model whose scores
      // are supplied has no model here to probe); a path names one that must.
      if (!loaded.manifest.behaviour && isManifestGlob(inputs.manifest)) {
        console.log(`${loaded.manifest.name}: no behaviour: section, skipped`);
        return undefined;
      }
      return checkBehaviour(loaded, {
        cwd,
        productionModel: inputs["production-model"],
        data: inputs.data,
        resolveBaseline,
      });
    });
    return modelAction(step, {
      section: "behaviour",
      outputs: ({ result }) => ({
        failed: String(result.checks.filter((c) => c.status === "fail").length),
        "newly-failing": result.tests
          .filter((t) => t.newlyFailing)
          .map((t) => t.name)
          .join(","),
      }),
      checks: ({ result }) => result.checks,
    });
  });
}
