import { UserError } from "@gauntlet/core";

/**
 * The longest line (CSV record, JSON Lines row) the readers accept: 16 MiB of text, counted in
 * characters (never more than the line's UTF-8 bytes). A line is held whole while it is parsed,
 * so this bounds a reader's memory whatever the file holds: a 1 GB line, or a log torn by a
 * crash so that everything after it is one line, ends with an error at the line where it starts
 * instead of exhausting memory. Real rows are a few KiB.
 *
 * @example
 * MAX_LINE_CHARS; // 16777216
 */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/**
 * The error for a line over the limit, naming the file and the line where it starts.
 *
 * @example
 * lineTooLong("logs/a.jsonl", 3, MAX_LINE_CHARS).message;
 * // "logs/a.jsonl:3: line 3 is longer than 16 MiB (the limit for one row). Fix: ..."
 */
export function lineTooLong(file: string, line: number, limit: number): UserError {
  return new UserError(`line ${line} is longer than ${describeSize(limit)} (the limit for one row)`, {
    file,
    line,
    fix:
      "check that the file is not cut or missing its line breaks (a torn write can join every later row into one line); " +
      "one row must hold at most 16 MiB, so move large payloads out of the data file",
  });
}

function describeSize(chars: number): string {
  const mib = chars / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${chars} characters`;
}
