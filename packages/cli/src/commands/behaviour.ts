import { checkBehaviour, writeResult } from "@gauntlet/steps";
import { failOnOption, parseOptions, requireOption } from "../args.js";
import { exitCodeFor, forEachModel } from "../for-each-model.js";
import type { Command } from "../io.js";

const usage = `Usage: gauntlet behaviour --manifest <path|glob> [options]

Runs each manifest's behavioural tests (behaviour:) on the candidate and, when given, the
production model, prints the report and writes <results-dir>/<model>/behaviour.json and behaviour.md.

Options:
  --manifest <path|glob>       model.yml, or a glob such as models/*/model.yml (required)
  --production-model <path>    the production .onnx: every test runs on it too
  --data <file|glob>           rows the probes start from (default: behaviour.data, else evaluation.data)
  --results-dir <dir>          where results are written (default: .gauntlet)
  --fail-on <level>            error (default), warning or never: when the exit code is 1`;

/** `gauntlet behaviour`: the `check-behaviour` action, locally. */
export const behaviourCommand: Command = {
  name: "behaviour",
  summary: "run the behavioural and robustness tests on the candidate (and production)",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        manifest: { type: "string" },
        "production-model": { type: "string" },
        data: { type: "string" },
        "results-dir": { type: "string" },
        "fail-on": { type: "string" },
      },
      usage,
    );
    const failOn = failOnOption(options);
    const resultsDir = options["results-dir"] ?? ".gauntlet";
    const statuses = await forEachModel(requireOption(options, "manifest", usage), io, async (loaded) => {
      const { manifest, result, markdown } = await checkBehaviour(loaded, {
        cwd: io.cwd,
        productionModel: options["production-model"],
        data: options.data,
      });
      const written = await writeResult(resultsDir, manifest.name, "behaviour", result, markdown);
      io.stdout(`${markdown}\n\n→ ${written.result}\n`);
      return result.status;
    });
    return exitCodeFor(statuses, failOn);
  },
};
