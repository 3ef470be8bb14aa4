import { parseOptions } from "../args.js";
import { formatDemoSummary } from "../demo/demo-summary.js";
import { runDemo } from "../demo/run-demo.js";
import type { Command } from "../io.js";

const usage = `Usage: gauntlet demo [--example <dir>] [--out <dir>]

Runs the whole flow on the bundled example, offline: validate, evaluate against the production
release, shadow on logged traffic, behavioural tests, gate, promote (dry run), and drift on a drifted day of
prediction logs. The production model, the logs, the release's reference profile and a
description of the registry are generated (seeded) into the output folder, which also holds a
copy of the example: the steps run on that copy, as on a checkout, so every file they read is
inside their workspace. Nothing is written into the example. Prints each step's verdict and report; writes every report and result file,
the sticky pull request comment (comment.md), an index (index.md), and the registry site
(site/index.html, as gauntlet site builds it: open it in a browser).

Approvals are not checked locally: the gate is pending at best. The exit code is 0 when the demo
ran, whatever the verdicts (the example is made to flag things), and 1 on an error.

Options:
  --example <dir>  the example model repository (default: examples/churn)
  --out <dir>      where everything is written (default: demo-out)`;

/** `gauntlet demo`: the pull-request-to-release flow on the bundled example, offline. */
export const demoCommand: Command = {
  name: "demo",
  summary: "run the whole flow on the bundled example, offline, reports in a folder",
  usage,
  async run(args, io) {
    const options = parseOptions(args, { example: { type: "string" }, out: { type: "string" } }, usage);
    const run = await runDemo({
      cwd: io.cwd,
      example: options.example ?? "examples/churn",
      out: options.out ?? "demo-out",
    });
    io.stdout(formatDemoSummary(run, io.cwd));
    return 0;
  },
};
