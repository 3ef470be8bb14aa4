import type { GateResult } from "@gauntlet/core";
import { gateModel, modelStep } from "@gauntlet/steps";
import { commandStep, modelCommand } from "../model-command.js";

const usage = `Usage: gauntlet gate --manifest <path|glob> [options]

Evaluates each manifest's gate: rules on the result files of earlier steps
(<results-dir>/<model>/validation.json, evaluation.json, shadow.json), checks the artefact's
sha256, prints the verdict and writes <results-dir>/<model>/gate.json and gate.md.
Approvals are not checked locally: they come from pull request reviews, so a gate that
requires approvals is "pending" at best here, and the exit code ignores approvals.

Options:
  --manifest <path|glob>  model.yml, or a glob such as models/*/model.yml (required)
  --results-dir <dir>     where earlier results are read and gate.json is written (default: .gauntlet)
  --fail-on <level>       error (default), warning or never: when the exit code is 1`;

const VERDICT: Record<GateResult["status"], string> = {
  pass: "PASS",
  fail: "FAIL",
  pending: "PASS (rules only; approvals are checked on the pull request)",
};

/** `gauntlet gate`: the `release-gate` action's rules, locally, without reviews. */
export const gateCommand = modelCommand(
  {
    name: "gate",
    summary: "check the manifest's gate rules on local result files (approvals are not checked)",
    usage,
    options: {},
  },
  async ({ manifest, resultsDir, cwd }) =>
    commandStep(
      await modelStep(manifest, "gate", { cwd, resultsDir }, (loaded) =>
        gateModel(loaded, { cwd, resultsDir }),
      ),
      {
        // The verdict again in plain text: the Markdown above escapes for GitHub, not for terminals.
        print: ({ outcome: { manifest, result, markdown }, written }) => {
          const reasons = result.reasons.map((line) => `  - ${line}\n`).join("");
          return `${markdown}\n${manifest.name} ${manifest.version}: ${VERDICT[result.status]}\n${reasons}→ ${written.result}\n`;
        },
        // Locally, missing approvals are expected: only the rules decide the exit code.
        exitCode: (statuses, failOn) => (statuses.includes("fail") && failOn !== "never" ? 1 : 0),
      },
    ),
);
