import { isUserError, UserError } from "@gauntlet/core";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { compressionOf, type DataFormat } from "./detect-format.js";
import { lineTooLong, MAX_LINE_CHARS } from "./line-limit.js";
import { pageHeaderProblem } from "./parquet-pages.js";
import { notUtf8 } from "./sniff-encoding.js";
import type { FileContext } from "./table-file.js";
import { readTextChunks } from "./text-chunks.js";

/**
 * Turns an error DuckDB raised while reading a file into a {@link UserError} naming the file, the
 * line where DuckDB reports one, what is wrong in gauntlet's words and the fix. Where DuckDB's
 * report is vague, the file is examined again on this error path only: JSON Lines line by line
 * (the line that is not JSON, not an object, or over 16 MiB), text for its first byte that is not
 * UTF-8, Parquet page headers for the damaged column. A `UserError` passes through unchanged.
 *
 * @example
 * await translateDuckDbError(new Error("Invalid Input Error: CSV Error on Line: 3\n...Expected Number of Columns: 3 Found: 2"), context, "csv");
 * // UserError "data/eval.csv:3: line 3 has 2 fields but the header (line 1) has 3. Fix: ..."
 */
export async function translateDuckDbError(
  error: unknown,
  context: FileContext,
  format: DataFormat,
): Promise<unknown> {
  if (isUserError(error) || !(error instanceof Error)) return error;
  const message = error.message;
  const { display } = context;
  if (/No files found that match/.test(message)) {
    return new UserError("file not found", { file: display, fix: "check the path" });
  }
  const plain = compressionOf(display) === undefined;
  const reason = reasonOf(message);
  if (format === "parquet") {
    return new UserError(`could not be decoded (${(await parquetProblem(context.path)) ?? reason})`, {
      file: display,
      fix: "the file is damaged or was cut short: write it again with a current Parquet writer (pandas.to_parquet, pyarrow); gauntlet reads the standard types and codecs",
    });
  }
  if (format === "jsonl") {
    const found = plain ? await jsonlProblem(context) : undefined;
    if (found) return found;
  }
  if (/Invalid unicode|not utf-8 encoded/i.test(message) && plain) {
    const found = await textProblem(context);
    if (found) return found;
  }
  const line = Number(/(?:CSV Error on Line|in line|line):? (\d+)/i.exec(message)?.[1] ?? Number.NaN);
  const at = Number.isNaN(line) ? {} : { line };
  const where = Number.isNaN(line) ? "the file" : `line ${line}`;
  if (/Maximum line size|maximum_object_size|maximum object size/i.test(message) && !Number.isNaN(line)) {
    return lineTooLong(display, line, MAX_LINE_CHARS);
  }
  if (/Invalid unicode|not utf-8 encoded/i.test(message)) {
    return notUtf8(Number.isNaN(line) ? 1 : line, undefined, display);
  }
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (columns) {
    const expected = Number(columns[1]);
    return new UserError(
      `${where} has ${columns[2]} fields but the header (line ${context.headerLine ?? 1}) has ${expected}`,
      {
        file: display,
        ...at,
        fix: `give every row ${expected} fields; quote any field that contains the delimiter, e.g. "Dubai, AE"`,
      },
    );
  }
  if (/unterminated quote/i.test(message)) {
    return new UserError(`${where} opens a quote that is never closed`, {
      file: display,
      ...at,
      fix: 'close every quoted field; write a quote inside one as two quotes, e.g. "say ""hi"""',
    });
  }
  if (format === "jsonl") {
    return new UserError(`${where} is not valid JSON (${reason})`, {
      file: display,
      ...at,
      fix: "write one complete JSON object per line (JSON Lines); a pretty-printed JSON file is not JSON Lines",
    });
  }
  if (/GZIP|zstd|decompress/i.test(message)) {
    return new UserError(`could not be decompressed (${reason})`, {
      file: display,
      fix: "check that the file is whole and compressed as its extension says (.gz: gzip, .zst: zstd)",
    });
  }
  return new UserError(`${where} could not be read as ${format === "csv" ? "CSV" : format} (${reason})`, {
    file: display,
    ...at,
    fix: "check the file's format: a header row, then one row per line with the header's number of fields",
  });
}

/** The first sentence of DuckDB's report, without its error class and the echoed input line. */
function reasonOf(message: string): string {
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^(Original Line|LINE \d+|Possible|\*|\^)/.test(line));
  const first = (
    lines.find((line) => !/^[\w ]*Error: CSV Error on Line/.test(line)) ??
    lines[0] ??
    ""
  ).replace(/^[\w ]*Error: /, "");
  return first.length > 200 ? `${first.slice(0, 199)}…` : first;
}

/** The first damaged page header of a Parquet file, if its footer can be read at all. */
async function parquetProblem(path: string): Promise<string | undefined> {
  try {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    const tops = new Set(metadata.schema.slice(1).map((element) => element.name));
    for (const group of metadata.row_groups) {
      const problem = await pageHeaderProblem(file, group, tops);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The first byte that is not UTF-8 (or other encoding problem) of a text file, as its error. */
async function textProblem(context: FileContext): Promise<UserError | undefined> {
  try {
    for await (const _ of readTextChunks(context.path, context.display)) {
      // decoding is the check
    }
  } catch (error) {
    if (isUserError(error)) return error;
  }
  return undefined;
}

/** The first line of a JSON Lines file that is not a JSON object, or over 16 MiB, as its error. */
async function jsonlProblem(context: FileContext): Promise<UserError | undefined> {
  const { display } = context;
  let pending = "";
  let line = 0;
  const check = (text: string): UserError | undefined => {
    line++;
    if (text.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return new UserError(`line ${line} is not valid JSON (${(error as Error).message})`, {
        file: display,
        line,
        fix: "write one complete JSON object per line (JSON Lines); a pretty-printed JSON file is not JSON Lines",
      });
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return new UserError(`line ${line} is not a JSON object`, {
        file: display,
        line,
        fix: 'write each row as an object of column names to values, e.g. {"id": 1, "age": 31}',
      });
    }
    return undefined;
  };
  try {
    for await (const text of readTextChunks(context.path, display)) {
      const input = pending + text;
      let start = 0;
      for (let end = input.indexOf("\n"); end !== -1; end = input.indexOf("\n", start)) {
        if (end - start > MAX_LINE_CHARS) return lineTooLong(display, line + 1, MAX_LINE_CHARS);
        const found = check(input.slice(start, end));
        if (found) return found;
        start = end + 1;
      }
      pending = input.slice(start);
      if (pending.length > MAX_LINE_CHARS) return lineTooLong(display, line + 1, MAX_LINE_CHARS);
    }
    return pending.length > 0 ? check(pending) : undefined;
  } catch (error) {
    if (isUserError(error)) return error;
    return undefined;
  }
}
