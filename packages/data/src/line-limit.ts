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

/** DuckDB's CSV reader at the line limit: its buffer must be larger than the longest line. */
export const LINE_LIMIT_READ = `max_line_size=${MAX_LINE_CHARS}, buffer_size=${MAX_LINE_CHARS + 1024 * 1024}`;

/** The longest line {@link firstLinesRead} reads first. */
const FIRST_LINE_BYTES = 1024 * 1024;

/**
 * `read(options)` of a query that takes a file's first lines (a header, a sample), with options
 * for DuckDB's CSV reader of lines up to 1 MiB in a 2 MiB buffer: at the line limit it fills, and
 * splits among its threads, a 17 MiB buffer however few lines a query takes (on the 1M-row bench
 * CSV, 4,096 rows cost about twice the CPU, a header 16-74 ms instead of 6-28). When a longer
 * line fails that read, `read` again with {@link LINE_LIMIT_READ}.
 *
 * @example
 * await firstLinesRead((options) => connection.run(`SELECT l FROM read_csv('a.csv', ${options}) LIMIT 10`));
 */
export async function firstLinesRead<T>(read: (options: string) => Promise<T>): Promise<T> {
  try {
    return await read(`max_line_size=${FIRST_LINE_BYTES}, buffer_size=${2 * FIRST_LINE_BYTES}`);
  } catch (error) {
    if (!(error instanceof Error && error.message.includes(`Maximum line size of ${FIRST_LINE_BYTES} bytes`)))
      throw error;
    return read(LINE_LIMIT_READ);
  }
}

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
