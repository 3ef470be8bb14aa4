import { UserError } from "@gauntlet/core";

const latin1Fix = "save the file as UTF-8 text, e.g. `iconv -f latin1 -t utf-8 in.csv > out.csv` for Latin-1";

/**
 * Recognises, from the first bytes of a file that should be UTF-8 text, the files that commonly
 * arrive under a text name: gzip or zstd compressed, UTF-16 (with or without a byte order mark),
 * Parquet and ZIP (an Excel workbook). Returns the {@link UserError} that says what the file is
 * and how to get text from it, or `undefined` when the start looks like UTF-8 text.
 *
 * @example
 * sniffEncoding(Buffer.from([0x1f, 0x8b, 8, 0]), "data/eval.csv")?.message;
 * // "data/eval.csv: is gzip-compressed, not text: it starts with the gzip signature 1f 8b. Fix: name it data/eval.csv.gz (gzip files are read by that name), or decompress it ..."
 */
export function sniffEncoding(head: Uint8Array, display: string): UserError | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => head[i] === byte);
  // The output file keeps the name's extension: plain.csv, plain.jsonl.
  const dot = display.lastIndexOf(".");
  const extension = dot > display.lastIndexOf("/") ? display.slice(dot) : ".csv";
  const fail = (problem: string, fix: string) => new UserError(problem, { file: display, fix });
  if (starts(0x1f, 0x8b)) {
    return fail(
      "is gzip-compressed, not text: it starts with the gzip signature 1f 8b",
      `name it ${display}.gz (gzip files are read by that name), or decompress it in an earlier step (\`gunzip -c ${display} > plain${extension}\`) and point at the plain file`,
    );
  }
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) {
    return fail(
      "is zstd-compressed, not text: it starts with the zstd signature 28 b5 2f fd",
      `name it ${display}.zst (zstd files are read by that name), or decompress it in an earlier step (\`zstd -dc ${display} > plain${extension}\`) and point at the plain file`,
    );
  }
  const utf16 = starts(0xff, 0xfe) || starts(0xfe, 0xff) ? "byte order mark" : utf16Pattern(head);
  if (utf16) {
    return fail(
      `is UTF-16 text (${utf16 === "byte order mark" ? "it starts with a UTF-16 byte order mark" : "every other byte is NUL"}), not UTF-8`,
      `convert it: \`iconv -f UTF-16 -t UTF-8 ${display} > utf8${extension}\` (Excel: save as "CSV UTF-8")`,
    );
  }
  if (starts(0x50, 0x41, 0x52, 0x31)) {
    return fail("is a Parquet file (it starts with PAR1), not text", "give it a .parquet extension");
  }
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    return fail(
      "is a ZIP archive, not text (an Excel .xlsx workbook is one)",
      "export the sheet as CSV UTF-8, or unzip the archive in an earlier step",
    );
  }
  return undefined;
}

/** UTF-16 text of mostly ASCII characters has a NUL in every other byte. */
function utf16Pattern(head: Uint8Array): "little-endian" | "big-endian" | undefined {
  const pairs = Math.min(64, Math.floor(head.length / 2));
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.9 && evenNul === 0) return "little-endian";
  if (evenNul >= pairs * 0.9 && oddNul === 0) return "big-endian";
  return undefined;
}

/**
 * The error for bytes that are not UTF-8, at `line` of the file (1-based): most often a
 * Latin-1 or Windows-1252 export.
 *
 * @example
 * notUtf8(121, 0xe9, "data/eval.csv").message;
 * // "data/eval.csv:121: is not valid UTF-8 text: line 121 holds the byte e9, which UTF-8 does not allow there. Fix: save the file as UTF-8 text, ..."
 */
export function notUtf8(line: number, byte: number | undefined, display: string): UserError {
  const shown = byte === undefined ? "an incomplete UTF-8 character" : `the byte ${hex(byte)}`;
  return new UserError(
    `is not valid UTF-8 text: line ${line} holds ${shown}${byte === undefined ? "" : ", which UTF-8 does not allow there"}`,
    { file: display, line, fix: latin1Fix },
  );
}

/**
 * The error for a NUL byte in what should be text: a binary file of some other kind.
 *
 * @example
 * binaryFile(8, "data/eval.csv").message; // "data/eval.csv: is not UTF-8 text: it holds a NUL byte at byte 8. Fix: ..."
 */
export function binaryFile(at: number, display: string): UserError {
  return new UserError(`is not UTF-8 text: it holds a NUL byte at byte ${at}`, {
    file: display,
    fix: `${latin1Fix}; give a Parquet file a .parquet extension`,
  });
}

/**
 * Index of the first byte of `bytes` that cannot be part of valid UTF-8, or -1. Continuation
 * bytes at the very start are skipped: they finish a character begun in the previous chunk.
 *
 * @example
 * firstInvalidUtf8(Buffer.from("Caf\xe9\n", "latin1")); // 3
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < 3 && i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return -1; // continues in the next chunk
      const c = bytes[i + k]!;
      const low = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
      const high = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
      if (c < low || c > high) return i;
    }
    i += length;
  }
  return -1;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
