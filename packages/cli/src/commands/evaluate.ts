import { parseShard } from "@gauntlet/core";
import {
  evaluateModel,
  evaluateShard,
  offlineBaselineResolver,
  writePart,
  writeResult,
} from "@gauntlet/steps";
import { failOnOption, parseOptions, requireOption } from "../args.js";
import { exitCodeFor, forEachModel } from "../for-each-model.js";
import type { Command } from "../io.js";

const usage = `Usage: gauntlet evaluate --manifest <path|glob> [options]

Evaluates each manifest's model overall and per slice against its baseline, prints the report and
writes <results-dir>/<model>/evaluation.json and evaluation.md.

Options:
  --manifest <path|glob>  model.yml, or a glob such as models/*/model.yml (required)
  --data <file|glob>      evaluation data (default: the manifest's evaluation.data)
  --baseline <path>       an .onnx file to compare against (default: evaluation.baseline when it
                          is a path; releases and aliases cannot be fetched offline)
  --results-dir <dir>     where results are written (default: .gauntlet)
  --fail-on <level>       error (default), warning (also on a significant regression) or never
  --shard <i/n>           evaluate only shard i of n (rows by the hash of data.key, else row
                          number) and write evaluation.part-<i>-of-<n>.json; combine the parts
                          with gauntlet merge --kind evaluation (every task)`;

/** `gauntlet evaluate`: the `evaluate-slices` action, locally. */
export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "evaluate a model overall and per slice against its baseline",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        manifest: { type: "string" },
        data: { type: "string" },
        baseline: { type: "string" },
        "results-dir": { type: "string" },
        "fail-on": { type: "string" },
        shard: { type: "string" },
      },
      usage,
    );
    const failOn = failOnOption(options);
    const resultsDir = options["results-dir"] ?? ".gauntlet";
    const shard = options.shard === undefined ? undefined : parseShard(options.shard, { input: "shard" });
    const evaluateOptions = {
      cwd: io.cwd,
      data: options.data,
      baseline: options.baseline,
      resolveBaseline: offlineBaselineResolver,
    };
    const statuses = await forEachModel(requireOption(options, "manifest", usage), io, async (loaded) => {
      if (shard) {
        const part = await evaluateShard(loaded, evaluateOptions, shard);
        const file = await writePart(resultsDir, part.model.name, "evaluation", shard, part);
        io.stdout(
          `shard ${shard.index}/${shard.count} of ${part.model.name}: ${part.data.rows} of ${part.data.read} rows\n→ ${file}\n`,
        );
        return "pass";
      }
      const { manifest, result, markdown } = await evaluateModel(loaded, evaluateOptions);
      const written = await writeResult(resultsDir, manifest.name, "evaluation", result, markdown);
      io.stdout(`${markdown}\n\n→ ${written.result}\n`);
      return result.status;
    });
    return exitCodeFor(statuses, failOn);
  },
};
