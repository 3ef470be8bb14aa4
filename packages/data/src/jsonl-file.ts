import { UserError } from "@gauntlet/core";
import { BatchAssembler } from "./batch-assembler.js";
import type { Cell } from "./cell.js";
import { flattenJson } from "./flatten-json.js";
import { lineTooLong, MAX_LINE_CHARS } from "./line-limit.js";
import { openTextFile, type TextParser } from "./open-text-file.js";
import type { FileContext, OpenedFile } from "./table-file.js";

/**
 * Opens a JSON Lines file: one JSON object per line, blank lines skipped, nested objects
 * flattened to dotted column names (see {@link flattenJson}). Columns are ordered by first
 * appearance; a row that lacks a column has a missing value there. A column first seen after the
 * type-inference sample gets its kind from the batch where it appears. An empty file has no rows
 * and no columns (a prediction log may legitimately be empty). A line longer than 16 MiB
 * ({@link MAX_LINE_CHARS}) is a `UserError` naming it, raised once that much is buffered.
 *
 * @example
 * const file = await openJsonlFile({ path: "/repo/logs/p.jsonl", display: "logs/p.jsonl", kinds: new Map(),
 *   columns: undefined, batchSize: 65_536, inferRows: 1_000 });
 * file.schema; // [{ name: "request_id", kind: "category" }, { name: "inputs.age", kind: "number" }, ...]
 */
export async function openJsonlFile(context: FileContext): Promise<OpenedFile> {
  const assembler = new BatchAssembler(context);
  return openTextFile(context, new JsonlParser(context, assembler), assembler);
}

class JsonlParser implements TextParser {
  private pending = "";
  private line = 0;
  /** Line on which each column was last set, to catch names that collide after flattening. */
  private readonly setOn = new Map<string, number>();
  private readonly visit = (name: string, cell: Cell): void => {
    if (this.setOn.get(name) === this.line) {
      throw new UserError(
        `line ${this.line} gives column "${name}" twice (after flattening nested objects)`,
        {
          file: this.context.display,
          line: this.line,
          field: name,
          fix: `rename either the key "${name}" or the nested object that also flattens to it`,
        },
      );
    }
    this.setOn.set(name, this.line);
    this.assembler.set(this.assembler.column(name), cell);
  };

  constructor(
    private readonly context: FileContext,
    private readonly assembler: BatchAssembler,
  ) {}

  push(text: string): void {
    const input = this.pending + text;
    let start = 0;
    for (let end = input.indexOf("\n"); end !== -1; end = input.indexOf("\n", start)) {
      if (end - start > MAX_LINE_CHARS)
        throw lineTooLong(this.context.display, this.line + 1, MAX_LINE_CHARS);
      this.parseLine(input.slice(start, end));
      start = end + 1;
    }
    this.pending = input.slice(start);
    if (this.pending.length > MAX_LINE_CHARS)
      throw lineTooLong(this.context.display, this.line + 1, MAX_LINE_CHARS);
  }

  end(): void {
    if (this.pending.length > 0) this.parseLine(this.pending);
    this.pending = "";
  }

  private parseLine(text: string): void {
    this.line++;
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UserError(`line ${this.line} is not valid JSON (${(error as Error).message})`, {
        file: this.context.display,
        line: this.line,
        fix: "write one complete JSON object per line (JSON Lines); a pretty-printed JSON file is not JSON Lines",
      });
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new UserError(`line ${this.line} is not a JSON object`, {
        file: this.context.display,
        line: this.line,
        fix: 'write each row as an object of column names to values, e.g. {"id": 1, "age": 31}',
      });
    }
    flattenJson(value as Record<string, unknown>, this.visit);
    this.assembler.fillMissing();
    this.assembler.endRow();
  }
}
