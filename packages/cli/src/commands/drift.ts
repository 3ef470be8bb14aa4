import { failsStep, UserError, worstStatus } from "@gauntlet/core";
import {
  loadManifest,
  loadReference,
  resolveManifestPaths,
  runDriftCheck,
  writeResult,
} from "@gauntlet/steps";
import { failOnOption, parseOptions, requireOption } from "../args.js";
import type { Command } from "../io.js";

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
  --fail-on <level>        error (default), warning or never: when the exit code is 1`;

/** `gauntlet drift`: the `drift-check` action, locally, without issue routing. */
export const driftCommand: Command = {
  name: "drift",
  summary: "compare prediction logs with the reference profile, per column and window",
  usage,
  async run(args, io) {
    const options = parseOptions(
      args,
      {
        manifest: { type: "string" },
        reference: { type: "string" },
        predictions: { type: "string" },
        window: { type: "string" },
        "results-dir": { type: "string" },
        "fail-on": { type: "string" },
      },
      usage,
    );
    const failOn = failOnOption(options);
    const resultsDir = options["results-dir"] ?? ".gauntlet";
    const statuses: ("pass" | "warn" | "fail")[] = [];
    for (const path of await resolveManifestPaths(requireOption(options, "manifest", usage), io.cwd)) {
      const loaded = await loadManifest(path, io.cwd);
      const location = options.reference ?? loaded.manifest.monitoring?.reference;
      if (!location || /^[a-z0-9-]+$/.test(location)) {
        throw new UserError(
          `the reference '${location ?? "production"}' is a release alias, which is only downloaded in GitHub Actions`,
          {
            file: loaded.file,
            field: "monitoring.reference",
            fix: "pass --reference with a profile.json (the release asset) or a data file",
          },
        );
      }
      const reference = await loadReference(location, { cwd: io.cwd, manifest: loaded.manifest });
      const outcome = await runDriftCheck(loaded, {
        cwd: io.cwd,
        reference,
        predictions: options.predictions,
        window: options.window,
      });
      const written = await writeResult(
        resultsDir,
        outcome.manifest.name,
        "drift",
        outcome.result,
        outcome.markdown,
      );
      io.stdout(`${outcome.markdown}\n\n→ ${written.result}\n`);
      statuses.push(outcome.result.status);
    }
    return failsStep(worstStatus(statuses), failOn) ? 1 : 0;
  },
};
