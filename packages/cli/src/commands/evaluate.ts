import { parseShard } from "@gauntlet/core";
import {
  evaluateModel,
  evaluateShard,
  modelShardStep,
  modelStep,
  offlineBaselineResolver,
} from "@gauntlet/steps";
import { commandStep, modelCommand } from "../model-command.js";

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
export const evaluateCommand = modelCommand(
  {
    name: "evaluate",
    summary: "evaluate a model overall and per slice against its baseline",
    usage,
    options: { data: { type: "string" }, baseline: { type: "string" }, shard: { type: "string" } },
  },
  async ({ options, manifest, resultsDir, cwd }) => {
    const evaluateOptions = {
      cwd,
      data: options.data,
      baseline: options.baseline,
      resolveBaseline: offlineBaselineResolver,
    };
    const place = { cwd, resultsDir };
    if (options.shard === undefined) {
      return commandStep(
        await modelStep(manifest, "evaluation", place, (loaded) => evaluateModel(loaded, evaluateOptions)),
      );
    }
    const shard = parseShard(options.shard, { input: "shard" });
    const step = await modelShardStep(manifest, "evaluation", place, shard, (loaded) =>
      evaluateShard(loaded, evaluateOptions, shard),
    );
    return commandStep(step, {
      print: ({ outcome: { part }, written }) =>
        `shard ${shard.index}/${shard.count} of ${part.model.name}: ${part.data.rows} of ${part.data.read} rows\n→ ${written.result}\n`,
    });
  },
);
