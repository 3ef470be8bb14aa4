import { parseShard, UserError } from "@gauntlet/core";
import {
  driftShard,
  isReleaseAlias,
  type LoadedManifest,
  type LoadedReference,
  loadReference,
  modelShardStep,
  modelStep,
  runDriftCheck,
  scanLogsAhead,
} from "@gauntlet/steps";
import { windowOption } from "../args.js";
import { commandStep, modelCommand } from "../model-command.js";

const usage = `Usage: gauntlet drift --manifest <path|glob> [options]

Compares prediction logs with the reference profile per column and window, prints the report and
writes <results-dir>/<model>/drift.json and drift.md. No issue is opened locally.

Options:
  --manifest <path|glob>   model.yml, or a glob such as models/*/model.yml (required)
  --reference <file>       profile.json or data file to compare against (default: monitoring.reference
                           when it is a path; an alias such as production needs this option locally)
  --predictions <glob>     prediction logs (default: monitoring.predictions)
  --window <duration>      window width, e.g. 1d or 6h (default: monitoring.window, else 1d)
  --results-dir <dir>      where results are written (default: .gauntlet)
  --fail-on <level>        error (default), warning or never: when the exit code is 1
  --shard <i/n>            check only shard i of n (log rows by the hash of monitoring.id, else row
                           number) and write drift.part-<i>-of-<n>.json; combine the parts with
                           gauntlet merge --kind drift`;

/** `gauntlet drift`: the `drift-check` action, locally, without issue routing. */
export const driftCommand = modelCommand(
  {
    name: "drift",
    summary: "compare prediction logs with the reference profile, per column and window",
    usage,
    options: {
      reference: { type: "string" },
      predictions: { type: "string" },
      window: { type: "string" },
      shard: { type: "string" },
    },
  },
  async ({ options, manifest, resultsDir, cwd }) => {
    const window = windowOption(options);
    const driftOptions = async (loaded: LoadedManifest) => {
      // The logs' first pass runs while the reference loads.
      scanLogsAhead(loaded, { cwd, predictions: options.predictions });
      return {
        cwd,
        reference: await localReference(loaded, options.reference, cwd),
        predictions: options.predictions,
        window,
      };
    };
    const place = { cwd, resultsDir };
    if (options.shard === undefined) {
      return commandStep(
        await modelStep(manifest, "drift", place, async (loaded) =>
          runDriftCheck(loaded, await driftOptions(loaded)),
        ),
      );
    }
    const shard = parseShard(options.shard, { input: "shard" });
    const step = await modelShardStep(manifest, "drift", place, shard, async (loaded) =>
      driftShard(loaded, await driftOptions(loaded), shard),
    );
    return commandStep(step, {
      print: ({ outcome: { part }, written }) =>
        `shard ${shard.index}/${shard.count} of ${part.model.name}: ${part.state.rows.read} log rows\n→ ${written.result}\n`,
    });
  },
);

/**
 * The reference of a local drift check: `--reference`, else `monitoring.reference` when it names a
 * file. An alias (`production`) is a release asset only GitHub Actions downloads: a `UserError`.
 *
 * @example
 * await localReference(loaded, "profile.json", cwd); // { profile, source: { kind: "profile", … } }
 */
export async function localReference(
  loaded: LoadedManifest,
  option: string | undefined,
  cwd: string,
): Promise<LoadedReference> {
  const location = option ?? loaded.manifest.monitoring?.reference;
  if (!location || isReleaseAlias(location, cwd)) {
    throw new UserError(
      `the reference '${location ?? "production"}' is a release alias, which is only downloaded in GitHub Actions`,
      {
        file: loaded.file,
        field: "monitoring.reference",
        fix: "pass --reference with a profile.json (the release asset) or a data file",
      },
    );
  }
  return loadReference(location, { cwd, manifest: loaded.manifest });
}
