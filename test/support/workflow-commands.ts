/** One `::command props::message` line an action printed. */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** An `::error`, `::warning` or `::notice` as the runner turns it into an annotation. */
export interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

const NUMERIC = new Set(["line", "endLine", "col", "endColumn"]);

function unescapeData(value: string): string {
  return value.replace(/%0D/gi, "\r").replace(/%0A/gi, "\n").replace(/%25/g, "%");
}

function unescapeProperty(value: string): string {
  return unescapeData(value.replace(/%3A/gi, ":").replace(/%2C/gi, ","));
}

/**
 * Reads workflow commands from an action's stdout as the runner does, honouring
 * `::stop-commands::<token>` (commands are ignored until `::<token>::`).
 *
 * @example
 * parseWorkflowCommands("::error file=a.yml,line=3::bad\n").annotations
 * // => [{ level: "error", message: "bad", file: "a.yml", line: 3 }]
 */
export function parseWorkflowCommands(stdout: string): {
  commands: WorkflowCommand[];
  annotations: Annotation[];
} {
  const commands: WorkflowCommand[] = [];
  const annotations: Annotation[] = [];
  let stopToken: string | undefined;
  for (const rawLine of stdout.split(/\r?\n/)) {
    const line = rawLine.trimStart();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command = "", props = "", message = ""] = match;
    const properties: Record<string, string> = {};
    for (const pair of props.split(",")) {
      const eq = pair.indexOf("=");
      if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
    }
    const parsed = { command, properties, message: unescapeData(message) };
    commands.push(parsed);
    if (command === "stop-commands") stopToken = parsed.message;
    if (command === "error" || command === "warning" || command === "notice") {
      const annotation: Annotation = { level: command, message: parsed.message };
      for (const [key, value] of Object.entries(properties)) {
        if (NUMERIC.has(key)) (annotation as unknown as Record<string, number>)[key] = Number(value);
        else if (key === "file" || key === "title") annotation[key] = value;
      }
      annotations.push(annotation);
    }
  }
  return { commands, annotations };
}

/**
 * Parses a `GITHUB_OUTPUT`/`GITHUB_ENV` file: `name=value` lines and `name<<DELIM` heredocs.
 * A later value for the same name wins, as on the runner.
 *
 * @example
 * parseFileCommand("a=1\nb<<EOF\nx\ny\nEOF\n") // => { a: "1", b: "x\ny" }
 */
export function parseFileCommand(content: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    const eq = line.indexOf("=");
    if (heredoc && (eq === -1 || line.indexOf("<<") < eq)) {
      const [, name = "", delimiter = ""] = heredoc;
      const body: string[] = [];
      let closed = false;
      for (i += 1; i < lines.length; i += 1) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        body.push(lines[i]!);
      }
      if (!closed) throw new Error(`Matching delimiter not found '${delimiter}'`);
      values[name] = body.join("\n");
    } else if (eq > 0) {
      values[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return values;
}
