import { createReadStream } from "node:fs";
import { TextDecoder } from "node:util";
import { UserError } from "@gauntlet/core";

/** How much of a file is checked for NUL bytes, the mark of a binary file. */
const sniffBytes = 64 * 1024;

/** Read size: large enough to amortise per-chunk work, small enough to keep memory flat. */
const chunkBytes = 1024 * 1024;

const notUtf8Fix =
  "save the file as UTF-8 text (e.g. `iconv -f latin1 -t utf-8 in.csv > out.csv`), or give a Parquet file a .parquet extension";

/**
 * Streams a UTF-8 text file as decoded string chunks of about 1 MiB, with a UTF-8 byte order
 * mark removed. Throws a {@link UserError} naming `display` when the file does not exist, holds a
 * NUL byte in its first 64 KiB (a binary or UTF-16 file) or is not valid UTF-8 (e.g. Latin-1).
 *
 * @example
 * for await (const text of readTextChunks("/abs/data/eval.csv", "data/eval.csv")) {
 *   tokenizer.push(text);
 * }
 */
export async function* readTextChunks(path: string, display: string): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  let offset = 0;
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      if (offset < sniffBytes) {
        const nul = bytes.subarray(0, sniffBytes - offset).indexOf(0);
        if (nul !== -1) {
          throw new UserError(`is not UTF-8 text: it holds a NUL byte at byte ${offset + nul}`, {
            file: display,
            fix: notUtf8Fix,
          });
        }
      }
      const text = decode(decoder, bytes, display, offset);
      offset += bytes.length;
      if (text.length > 0) yield text;
    }
    const rest = decode(decoder, undefined, display, offset);
    if (rest.length > 0) yield rest;
  } catch (error) {
    throw toUserError(error, display);
  } finally {
    stream.destroy();
  }
}

function decode(decoder: TextDecoder, bytes: Buffer | undefined, display: string, offset: number): string {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch {
    throw new UserError(
      `is not valid UTF-8 text (first bad bytes within bytes ${offset}–${offset + (bytes?.length ?? 0)})`,
      {
        file: display,
        fix: notUtf8Fix,
      },
    );
  }
}

function toUserError(error: unknown, display: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new UserError("file not found", { file: display, fix: "check the path" });
  if (code === "EISDIR") {
    return new UserError("is a directory, not a data file", {
      file: display,
      fix: "give a file or a glob such as dir/*.csv",
    });
  }
  if (code === "EACCES") {
    return new UserError("cannot be read (permission denied)", {
      file: display,
      fix: "make the file readable",
    });
  }
  return error;
}
