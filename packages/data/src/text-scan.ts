import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { BooleanKeys } from "./boolean-keys.js";
import { fileError } from "./text-chunks.js";
import { UnderscoreFields } from "./underscore-fields.js";

/**
 * What one pass over a plain CSV or JSON Lines file found: the 1-based number of its first line
 * longer than the limit (undefined: none), and for a CSV the fields holding an underscore on
 * some line (see {@link UnderscoreFields}; undefined when it could not tell or stopped early).
 */
export interface TextScan {
  long: number | undefined;
  underscores: Map<number, number> | undefined;
  /**
   * For JSON Lines (no delimiter), the keys holding `true` or `false` on some line (see
   * {@link BooleanKeys}; undefined when it could not tell or stopped early).
   */
  booleans?: ReadonlySet<string> | undefined;
}

/** A scan, and the file as it was when scanned. */
interface Scanned {
  size: number;
  mtimeMs: number;
  ino: number;
  head: Buffer;
  scan: Promise<TextScan>;
}

/** Most files whose scans are kept. */
const maxKept = 16;
/** Scans by path and delimiter, oldest first. */
const kept = new Map<string, Scanned>();

/**
 * Scans a plain (uncompressed) text file once per version of it: a step that opens the same file
 * several times (evaluate checks it, learns its schema, then reads it) pays one pass over it, not
 * one per open (on the 104 MB bench CSV, 0.2-0.35 s each under load). A kept scan is used only
 * while the file has the same size, modification time, inode and first bytes (`head`, which is
 * all of a file under 64 KiB), so a file written again is scanned again.
 *
 * @example
 * const scan = await scanText("/repo/data/eval.csv", "data/eval.csv", head, 16 * 1024 * 1024, ",");
 * scan.long; // undefined: no line over the limit
 * scan.underscores; // Map { 8 => 1000001 } (the plan column, header included)
 */
export async function scanText(
  path: string,
  display: string,
  head: Buffer,
  limit: number,
  delimiter: string | undefined,
): Promise<TextScan> {
  let info: { size: number; mtimeMs: number; ino: number };
  try {
    info = await stat(path);
  } catch (error) {
    throw fileError(error, display);
  }
  const key = `${delimiter ?? ""}\0${path}`;
  const found = kept.get(key);
  if (
    found !== undefined &&
    found.size === info.size &&
    found.mtimeMs === info.mtimeMs &&
    found.ino === info.ino &&
    found.head.equals(head)
  ) {
    return found.scan;
  }
  kept.delete(key);
  if (kept.size >= maxKept) kept.delete(kept.keys().next().value!);
  const underscores = delimiter === undefined ? undefined : new UnderscoreFields(delimiter);
  const booleans = delimiter === undefined ? new BooleanKeys() : undefined;
  const fields = underscores ?? booleans;
  const scan = firstLongLine(path, limit, fields).then((long) => ({
    long,
    underscores: underscores?.lines(),
    booleans: long === undefined ? booleans?.keys() : undefined,
  }));
  const entry = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, head: Buffer.from(head), scan };
  kept.set(key, entry);
  scan.catch(() => {
    if (kept.get(key) === entry) kept.delete(key);
  });
  return scan;
}

/**
 * The 1-based number of the first line of a file longer than `limit` bytes, or undefined. A line
 * that lies inside one read is shorter than the read, so when reads are no longer than the limit
 * only the line running across reads is measured (two `indexOf` per 1 MiB read); the line's
 * number is counted only when one is too long.
 */
async function firstLongLine(
  path: string,
  limit: number,
  fields: { add(bytes: Buffer): void; end(): void } | undefined,
): Promise<number | undefined> {
  /** File offset of the current line's start, and its bytes before the current read. */
  let lineStart = 0;
  let length = 0;
  let offset = 0;
  for await (const bytes of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    fields?.add(bytes);
    if (bytes.length > limit) {
      let start = 0;
      for (let end = bytes.indexOf(10); end !== -1; end = bytes.indexOf(10, start)) {
        if (length + end - start > limit) return lineAt(path, lineStart);
        length = 0;
        start = end + 1;
        lineStart = offset + start;
      }
      length += bytes.length - start;
    } else {
      const first = bytes.indexOf(10);
      if (first === -1) {
        length += bytes.length;
      } else {
        if (length + first > limit) return lineAt(path, lineStart);
        const last = bytes.lastIndexOf(10);
        lineStart = offset + last + 1;
        length = bytes.length - last - 1;
      }
    }
    if (length > limit) return lineAt(path, lineStart);
    offset += bytes.length;
  }
  fields?.end();
  return undefined;
}

/** The 1-based number of the line that starts at byte `start` of a file. */
async function lineAt(path: string, start: number): Promise<number> {
  let line = 1;
  if (start === 0) return line;
  for await (const bytes of createReadStream(path, {
    end: start - 1,
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) line++;
  }
  return line;
}
