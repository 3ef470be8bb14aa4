import { compareShadow, writeResult } from "@gauntlet/steps";
import { failOnOption, parseOptions, requireOption } from "../args.js";
import { exitCodeFor, forEachModel } from "../for-each-model.js";
import type { Command } from "../io.js";

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
export const shadowCommand: Command = {
  name: "shadow",
  summary: "compare the candidate with the champion on logged traffic",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        manifest: { type: "string" },
        log: { type: "string" },
        "champion-model": { type: "string" },
        "champion-version": { type: "string" },
        "version-field": { type: "string" },
        outcome: { type: "string" },
        "challenger-latency": { type: "string" },
        "show-rows": { type: "boolean" },
        "results-dir": { type: "string" },
        "fail-on": { type: "string" },
      },
      usage,
    );
    const failOn = failOnOption(options);
    const resultsDir = options["results-dir"] ?? ".gauntlet";
    const statuses = await forEachModel(requireOption(options, "manifest", usage), io, async (loaded) => {
      const { manifest, result, markdown } = await compareShadow(loaded, {
        cwd: io.cwd,
        log: options.log,
        championModel: options["champion-model"],
        championVersion: options["champion-version"],
        versionField: options["version-field"],
        outcome: options.outcome,
        challengerLatency: options["challenger-latency"],
        showRows: options["show-rows"] === true,
      });
      const written = await writeResult(resultsDir, manifest.name, "shadow", result, markdown);
      io.stdout(`${markdown}\n\n→ ${written.result}\n→ recommendation: ${result.recommendation}\n`);
      return result.status;
    });
    return exitCodeFor(statuses, failOn);
  },
};
