import { validateData, writeResult } from "@gauntlet/steps";
import { failOnOption, parseOptions, requireOption } from "../args.js";
import { exitCodeFor, forEachModel } from "../for-each-model.js";
import type { Command } from "../io.js";

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
export const validateCommand: Command = {
  name: "validate",
  summary: "check data against the manifest's data contract",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        manifest: { type: "string" },
        data: { type: "string" },
        features: { type: "string" },
        reference: { type: "string" },
        "results-dir": { type: "string" },
        "fail-on": { type: "string" },
      },
      usage,
    );
    const failOn = failOnOption(options);
    const resultsDir = options["results-dir"] ?? ".gauntlet";
    const statuses = await forEachModel(requireOption(options, "manifest", usage), io, async (loaded) => {
      const { manifest, result, markdown } = await validateData(loaded, {
        cwd: io.cwd,
        data: options.data,
        features: options.features,
        reference: options.reference,
        now: new Date(),
      });
      const written = await writeResult(resultsDir, manifest.name, "validation", result, markdown);
      io.stdout(`${markdown}\n\n→ ${written.result}\n`);
      return result.status;
    });
    return exitCodeFor(statuses, failOn);
  },
};
