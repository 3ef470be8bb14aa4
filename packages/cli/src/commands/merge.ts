import { failsStep, UserError, worstStatus } from "@gauntlet/core";
import {
  loadManifest,
  mergeDrift,
  mergeEvaluation,
  resolveManifestPaths,
  writeResult,
} from "@gauntlet/steps";
import { failOnOption, parseOptions, requireOption, windowOption } from "../args.js";
import type { Command } from "../io.js";
import { localReference } from "./drift.js";

const usage = `Usage: gauntlet merge --manifest <path|glob> --kind evaluation|drift [options]

Merges the partial results that sharded runs (gauntlet evaluate --shard i/n, gauntlet drift
--shard i/n, or the actions with shard: i/n) wrote as <results-dir>/<model>/<kind>.part-<i>-of-<n>.json,
prints the report and writes <kind>.json and <kind>.md as one run over all rows would. Every shard
1..n must be there, from the same model, settings and reference.

Options:
  --manifest <path|glob>  model.yml, or a glob such as models/*/model.yml (required)
  --kind <kind>           evaluation or drift (required)
  --results-dir <dir>     where the parts are and the result is written (default: .gauntlet)
  --reference <file>      drift: the profile.json or data file the shards compared against
                          (default: monitoring.reference when it is a path)
  --window <duration>     drift: the window width the shards used (default: monitoring.window)
  --predictions <glob>    drift: the prediction logs the shards read (default: monitoring.predictions)
  --fail-on <level>       error (default), warning or never: when the exit code is 1`;

/** `gauntlet merge`: the `merge: true` run of evaluate-slices and drift-check, locally. */
export const mergeCommand: Command = {
  name: "merge",
  summary: "merge the partial results of sharded evaluate or drift runs",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        manifest: { type: "string" },
        kind: { type: "string" },
        "results-dir": { type: "string" },
        reference: { type: "string" },
        window: { type: "string" },
        predictions: { type: "string" },
        "fail-on": { type: "string" },
      },
      usage,
    );
    const failOn = failOnOption(options);
    const window = windowOption(options);
    const kind = requireOption(options, "kind", usage);
    if (kind !== "evaluation" && kind !== "drift") {
      throw new UserError(`--kind: expected evaluation or drift, got '${kind}'`, {
        fix: "pass --kind evaluation (parts of gauntlet evaluate --shard) or --kind drift",
      });
    }
    const resultsDir = options["results-dir"] ?? ".gauntlet";
    const statuses: ("pass" | "warn" | "fail")[] = [];
    for (const path of await resolveManifestPaths(requireOption(options, "manifest", usage), io.cwd)) {
      const loaded = await loadManifest(path, io.cwd);
      const outcome =
        kind === "evaluation"
          ? await mergeEvaluation(loaded, resultsDir)
          : await mergeDrift(
              loaded,
              {
                cwd: io.cwd,
                reference: await localReference(loaded, options.reference, io.cwd),
                predictions: options.predictions,
                window,
              },
              resultsDir,
            );
      const written = await writeResult(
        resultsDir,
        loaded.manifest.name,
        kind,
        outcome.result,
        outcome.markdown,
      );
      io.stdout(`${outcome.markdown}\n\n→ ${written.result}\n`);
      statuses.push(outcome.result.status);
    }
    return failsStep(worstStatus(statuses), failOn) ? 1 : 0;
  },
};
