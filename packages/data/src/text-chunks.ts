import { createReadStream } from "node:fs";
import { TextDecoder } from "node:util";
import { UserError } from "@gauntlet/core";
import { binaryFile, firstInvalidUtf8, notUtf8, sniffEncoding } from "./sniff-encoding.js";

/** How much of a file is checked for NUL bytes, the mark of a binary file. */
const sniffBytes = 64 * 1024;

/** Read size: large enough to amortise per-chunk work, small enough to keep memory flat. */
const chunkBytes = 1024 * 1024;

/**
 * Streams a UTF-8 text file as decoded string chunks of about 1 MiB, with a UTF-8 byte order
 * mark removed. Throws a {@link UserError} naming `display` when the file does not exist, is
 * compressed, UTF-16 or another binary format (see {@link sniffEncoding}), holds a NUL byte in its
 * first 64 KiB, or is not valid UTF-8 (e.g. Latin-1: the error gives the line).
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
      if (offset === 0) {
        const known = sniffEncoding(bytes, display);
        if (known) throw known;
      }
      if (offset < sniffBytes) {
        const nul = bytes.subarray(0, sniffBytes - offset).indexOf(0);
        if (nul !== -1) throw binaryFile(offset + nul, display);
      }
      const text = decode(decoder, bytes);
      if (text === undefined) {
        const bad = firstInvalidUtf8(bytes);
        // Nothing wrong inside the chunk: the character broken is the one it continues.
        const at = bad === -1 ? offset : offset + bad;
        throw notUtf8(await lineAt(path, at), bad === -1 ? undefined : bytes[bad], display);
      }
      offset += bytes.length;
      if (text.length > 0) yield text;
    }
    const rest = decode(decoder, undefined);
    if (rest === undefined) throw notUtf8(await lineAt(path, offset), undefined, display);
    if (rest.length > 0) yield rest;
  } catch (error) {
    throw fileError(error, display);
  } finally {
    stream.destroy();
  }
}

/** The decoded text, or `undefined` when the bytes are not valid UTF-8. */
function decode(decoder: TextDecoder, bytes: Buffer | undefined): string | undefined {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch {
    return undefined;
  }
}

/** The 1-based line holding byte `at`: read again only on this error path, so reading stays one pass. */
async function lineAt(path: string, at: number): Promise<number> {
  let line = 1;
  let offset = 0;
  const stream = createReadStream(path, { highWaterMark: chunkBytes, end: Math.max(0, at - 1) });
  for await (const bytes of stream as AsyncIterable<Buffer>) {
    for (let i = bytes.indexOf(10); i !== -1 && offset + i < at; i = bytes.indexOf(10, i + 1)) line++;
    offset += bytes.length;
  }
  return line;
}

/**
 * The {@link UserError} for a file that cannot be opened (missing, a directory, unreadable), or
 * `error` itself when it is something else.
 *
 * @example
 * fileError(Object.assign(new Error(), { code: "ENOENT" }), "data/eval.csv"); // UserError "file not found"
 */
export function fileError(error: unknown, display: string): unknown {
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
