import { modelStep, validateData } from "@gauntlet/steps";
import { commandStep, modelCommand } from "../model-command.js";

const usage = `Usage: gauntlet validate --manifest <path|glob> [options]

Checks data against each manifest's data: contract, prints the report and writes
<results-dir>/<model>/validation.json and validation.md.

Options:
  --manifest <path|glob>  model.yml, or a glob such as models/*/model.yml (required)
  --data <file|glob>      data to check (default: the manifest's evaluation.data)
  --features <object>     for nested rows (prediction logs): the object holding the features,
                          e.g. inputs; its fields are checked as the contract's columns
  --reference <file>      reference data file or profile.json: also check each column for drift
  --results-dir <dir>     where results are written (default: .gauntlet)
  --fail-on <level>       error (default), warning or never: when the exit code is 1`;

/** `gauntlet validate`: the `validate-data` action, locally. */
export const validateCommand = modelCommand(
  {
    name: "validate",
    summary: "check data against the manifest's data contract",
    usage,
    options: { data: { type: "string" }, features: { type: "string" }, reference: { type: "string" } },
  },
  async ({ options, manifest, resultsDir, cwd }) =>
    commandStep(
      await modelStep(manifest, "validation", { cwd, resultsDir }, (loaded) =>
        validateData(loaded, {
          cwd,
          data: options.data,
          features: options.features,
          reference: options.reference,
          now: new Date(),
        }),
      ),
    ),
);
