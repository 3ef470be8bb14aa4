import { UserError } from "@gauntlet/core";
import { modelStep, rolloutOf, runCanaryCheck } from "@gauntlet/steps";
import { requireOption } from "../args.js";
import { commandStep, modelCommand } from "../model-command.js";

const usage = `Usage: gauntlet canary --manifest <path|glob> --incumbent <version> [options]

Decides one look at a staged rollout (rollout:) from the served-traffic logs: the manifest's
version against the incumbent since the stage began — expand, hold (with the traffic a decision
still needs) or rollback. Prints the report and writes <results-dir>/<model>/canary.json and
canary.md. It moves nothing: the canary-check action acts on the registry.

Options:
  --manifest <path|glob>   model.yml, or a glob such as models/*/model.yml (required)
  --incumbent <version>    the version serving the rest of the traffic (required)
  --stage <name>           the stage the version is at (default: the first of rollout.stages)
  --since <time>           when the stage began, ISO 8601 (default: every logged request counts)
  --results-dir <dir>      where results are written (default: .gauntlet)
  --fail-on <level>        error (default), warning or never: when the exit code is 1`;

/** `gauntlet canary`: the `canary-check` action's decision, locally. */
export const canaryCommand = modelCommand(
  {
    name: "canary",
    summary: "decide one look at a staged rollout: expand, hold or rollback",
    usage,
    options: { incumbent: { type: "string" }, stage: { type: "string" }, since: { type: "string" } },
  },
  async ({ options, manifest, resultsDir, cwd }) => {
    const incumbent = requireOption(options, "incumbent", usage);
    const since = options.since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(options.since);
    if (Number.isNaN(since)) {
      throw new UserError(`--since "${options.since}" is not a time`, {
        field: "--since",
        fix: "give an ISO 8601 time such as 2026-05-01T00:00:00Z",
      });
    }
    const step = await modelStep(manifest, "canary", { cwd, resultsDir }, (loaded) =>
      runCanaryCheck(loaded, {
        stage: options.stage ?? rolloutOf(loaded).stages[0]!.stage,
        incumbent,
        since,
        cwd,
      }),
    );
    return commandStep(step, {
      print: ({ outcome, written }) =>
        `${outcome.markdown}\n\nverdict: ${outcome.result.verdict}\n→ ${written.result}\n`,
    });
  },
);
