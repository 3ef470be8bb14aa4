/** Where a command writes; tests pass in collectors instead of the process streams. */
export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** A subcommand: parses its own arguments and returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run: (args: string[], io: CliIo) => Promise<number>;
}
