import { createReadStream } from "node:fs";

const ESCAPE = Buffer.from("\\u");
const QUOTE = 34;

/**
 * Which of the dotted leaf `names` no line of a plain (uncompressed) JSON Lines file can hold,
 * found by looking for each one's keys as quoted text anywhere in the file: a name is absent when
 * no suffix of it (`"c"`, `"b.c"`, `"a.b.c"` for `a.b.c`, since a key may itself hold a dot) occurs
 * between quotes. One pass over the bytes, stopped as soon as every name has been seen, costs a
 * small share of DuckDB's detection of every key of every line, which a projected read would
 * otherwise need for a column that its first 20,480 lines lack (2.4 s on the 284 MB drift bench
 * log, for a field such as `latency_ms` that the logs do not have).
 *
 * A quoted word that is a value, not a key, only makes a name present (the caller then detects
 * every key, as without this look). Keys spelt with `\u` escapes would hide from it: a file
 * holding `\u` anywhere gives no answer (an empty set), and so does a name holding a quote, a
 * backslash or a slash (which JSON may escape as `\/`).
 *
 * @example
 * await absentLeaves("logs.jsonl", ["latency_ms", "inputs.age"]); // Set { "latency_ms" }
 */
export async function absentLeaves(path: string, names: readonly string[]): Promise<ReadonlySet<string>> {
  const open = new Map<string, Buffer[]>();
  for (const name of names) {
    if (/["\\/]/.test(name)) continue;
    const parts = name.split(".");
    open.set(
      name,
      parts.map((_, i) => Buffer.from(`"${parts.slice(i).join(".")}"`)),
    );
  }
  if (open.size === 0) return new Set();
  const overlap = Math.max(ESCAPE.length, ...[...open.values()].flat().map((needle) => needle.length)) - 1;
  let tail = Buffer.alloc(0);
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer> & {
    destroy(): void;
  };
  try {
    for await (const bytes of stream) {
      // The read itself, and where it meets the previous one (a key cut in two).
      const seam = Buffer.concat([tail, bytes.subarray(0, overlap)]);
      const holds = (needle: Buffer) => quotedIn(bytes, needle) || seam.includes(needle);
      if (bytes.includes(ESCAPE) || seam.includes(ESCAPE)) return new Set();
      for (const [name, needles] of open) if (needles.some(holds)) open.delete(name);
      if (open.size === 0) return new Set();
      tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - overlap)));
    }
  } catch {
    // Unreadable now: no answer here; DuckDB's own read names the problem.
    return new Set();
  } finally {
    stream.destroy();
  }
  return new Set(open.keys());
}

/**
 * Whether `bytes` holds `quoted` (a word between quotes) after its first byte: found by the word and
 * its closing quote, then the opening quote checked, which is faster than looking for a needle that
 * starts with a quote, the commonest byte of JSON (0.33 against 0.47 CPU-s for two words in the
 * 284 MB drift bench log). One that starts at byte 0 is left to the seam.
 */
function quotedIn(bytes: Buffer, quoted: Buffer): boolean {
  const word = quoted.subarray(1);
  for (let at = bytes.indexOf(word); at !== -1; at = bytes.indexOf(word, at + 1)) {
    if (at > 0 && bytes[at - 1] === QUOTE) return true;
  }
  return false;
}
