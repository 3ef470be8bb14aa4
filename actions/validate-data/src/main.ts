import { commonInputs, modelAction, runModelAction } from "@gauntlet/github";
import { modelStep, validateData } from "@gauntlet/steps";
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
export function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return runModelAction(env, inputsSchema, async ({ inputs, cwd }) =>
    modelAction(
      await modelStep(inputs.manifest, "validation", { cwd, resultsDir: inputs["results-dir"] }, (loaded) =>
        validateData(loaded, {
          cwd,
          data: inputs.data,
          features: inputs.features,
          reference: inputs.reference,
          now: new Date(),
        }),
      ),
      { section: "data", checks: ({ result }) => result.checks },
    ),
  );
}
