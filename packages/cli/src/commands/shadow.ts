import { compareShadow, modelStep } from "@gauntlet/steps";
import { commandStep, modelCommand } from "../model-command.js";

const usage = `Usage: gauntlet shadow --manifest <path|glob> [options]

Compares each manifest's candidate with the served champion on logged traffic, prints the report
and writes <results-dir>/<model>/shadow.json and shadow.md.

Options:
  --manifest <path|glob>       model.yml, or a glob such as models/*/model.yml (required)
  --log <file|glob>            logged requests (default: the manifest's shadow.log)
  --champion-model <path>      the production .onnx: replayed for skew and benchmarked
  --champion-version <v>       skip logged rows of other versions
  --version-field <name>       log field with the model version (default: model_version when logged)
  --outcome <name>             log field with the outcome (default: evaluation.label when logged)
  --challenger-latency <name>  log field with the candidate's latency in ms
  --show-rows                  show feature values of the largest disagreements
  --results-dir <dir>          where results are written (default: .gauntlet)
  --fail-on <level>            error (default), warning or never: when the exit code is 1`;

/** `gauntlet shadow`: the `shadow-compare` action, locally. */
export const shadowCommand = modelCommand(
  {
    name: "shadow",
    summary: "compare the candidate with the champion on logged traffic",
    usage,
    options: {
      log: { type: "string" },
      "champion-model": { type: "string" },
      "champion-version": { type: "string" },
      "version-field": { type: "string" },
      outcome: { type: "string" },
      "challenger-latency": { type: "string" },
      "show-rows": { type: "boolean" },
    },
  },
  async ({ options, manifest, resultsDir, cwd }) =>
    commandStep(
      await modelStep(manifest, "shadow", { cwd, resultsDir }, (loaded) =>
        compareShadow(loaded, {
          cwd,
          log: options.log,
          championModel: options["champion-model"],
          championVersion: options["champion-version"],
          versionField: options["version-field"],
          outcome: options.outcome,
          challengerLatency: options["challenger-latency"],
          showRows: options["show-rows"] === true,
        }),
      ),
      {
        print: ({ outcome, written }) =>
          `${outcome.markdown}\n\n→ ${written.result}\n→ recommendation: ${outcome.result.recommendation}\n`,
      },
    ),
);
