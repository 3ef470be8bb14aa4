import { isUserError, neutralizeWorkflowCommands } from "@gauntlet/core";
import { auditCommand } from "./commands/audit.js";
import { behaviourCommand } from "./commands/behaviour.js";
import { canaryCommand } from "./commands/canary.js";
import { demoCommand } from "./commands/demo.js";
import { driftCommand } from "./commands/drift.js";
import { evaluateCommand } from "./commands/evaluate.js";
import { gateCommand } from "./commands/gate.js";
import { mergeCommand } from "./commands/merge.js";
import { promoteCommand } from "./commands/promote.js";
import { shadowCommand } from "./commands/shadow.js";
import { siteCommand } from "./commands/site.js";
import { validateCommand } from "./commands/validate.js";
import { cliErrorText } from "./error-text.js";
import type { CliIo, Command } from "./io.js";

const COMMANDS: Command[] = [
  validateCommand,
  evaluateCommand,
  shadowCommand,
  behaviourCommand,
  gateCommand,
  promoteCommand,
  driftCommand,
  canaryCommand,
  mergeCommand,
  siteCommand,
  auditCommand,
  demoCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: gauntlet <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun \`gauntlet <command> --help\` for a command's options.\n`;
}

/**
 * Runs the `gauntlet` command line and returns the exit code: 0 on success, 1 on a failed check
 * (per `--fail-on`) or a user mistake (one `error:` line, no stack), 2 on a bug in gauntlet.
 * Everything it prints passes through `neutralizeWorkflowCommands`, so a file name or value cannot
 * inject a workflow command when the CLI runs in a GitHub Actions job.
 *
 * @example
 * await main(["validate", "--manifest", "models/churn/model.yml"], io); // 0
 */
export async function main(argv: string[], given: CliIo): Promise<number> {
  // Paths and values from the data reach the output; run in a job, none may forge a workflow command.
  const io: CliIo = {
    ...given,
    stdout: (text) => given.stdout(neutralizeWorkflowCommands(text)),
    stderr: (text) => given.stderr(neutralizeWorkflowCommands(text)),
  };
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(help());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`error: unknown command '${name}'.\n\n${help()}`);
    return 1;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (isUserError(error)) {
      io.stderr(`error: ${cliErrorText(error)}\n`);
      return 1;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`gauntlet bug (please report it with this output): ${detail}\n`);
    return 2;
  }
}
