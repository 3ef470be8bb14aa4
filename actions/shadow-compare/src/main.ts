import { booleanInput, commonInputs, modelAction, runModelAction } from "@gauntlet/github";
import { compareShadow, modelStep } from "@gauntlet/steps";
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
export function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return runModelAction(env, inputsSchema, async ({ inputs, cwd }) =>
    modelAction(
      await modelStep(inputs.manifest, "shadow", { cwd, resultsDir: inputs["results-dir"] }, (loaded) =>
        compareShadow(loaded, {
          cwd,
          log: inputs.log,
          championModel: inputs["champion-model"],
          championVersion: inputs["champion-version"],
          versionField: inputs["version-field"],
          outcome: inputs.outcome,
          challengerLatency: inputs["challenger-latency"],
          showRows: inputs["show-rows"],
        }),
      ),
      {
        section: "shadow",
        outputs: ({ result }) => ({
          recommendation: result.recommendation,
          disagreement: String(result.agreement.disagreement ?? ""),
        }),
        checks: ({ result }) => result.checks,
      },
    ),
  );
}
