import { checkBehaviour, modelStep } from "@gauntlet/steps";
import { commandStep, modelCommand } from "../model-command.js";

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
export const behaviourCommand = modelCommand(
  {
    name: "behaviour",
    summary: "run the behavioural and robustness tests on the candidate (and production)",
    usage,
    options: { "production-model": { type: "string" }, data: { type: "string" } },
  },
  async ({ options, manifest, resultsDir, cwd }) =>
    commandStep(
      await modelStep(manifest, "behaviour", { cwd, resultsDir }, (loaded) =>
        checkBehaviour(loaded, { cwd, productionModel: options["production-model"], data: options.data }),
      ),
    ),
);
