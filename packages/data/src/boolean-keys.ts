const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const NEWLINE = 10;

/**
 * Which keys of a JSON Lines file hold `true` or `false` on some line, found while the file is
 * scanned for long lines. DuckDB's JSON reader reads `true` into a DOUBLE column as 1 (and
 * `false` as 0), where the text read lists it as not a number: a number column may be read
 * typed only when its key never holds a boolean. Every other value a typed read cannot take
 * as the text read does stops it with an error (a string that is not a number, an object, an
 * array) or comes back as NaN or infinity, and the text read takes over (see `TypedRead`).
 *
 * A literal is a member's value when, before it, only blanks separate it from a colon and the
 * colon from a closing quote: its key is the text back to the opening quote. A key with a
 * backslash (an escape, which may hide a quote) gives no answer: every key may then hold one.
 * Keys are names at any depth (`age` for `inputs.age`); a false find (the words inside a
 * string) only costs a typed read.
 *
 * @example
 * const scan = new BooleanKeys();
 * scan.add(Buffer.from('{"a":1,"in":{"b":true}}\n{"a":2,"c":"true"}\n'));
 * scan.end();
 * scan.keys(); // Set { "b" }
 */
export class BooleanKeys {
  private readonly found = new Set<string>();
  private unknown = false;
  /** The line running into the next read (bytes after the last newline). */
  private carry: Buffer | undefined;

  add(bytes: Buffer): void {
    if (this.unknown) return;
    const first = bytes.indexOf(NEWLINE);
    if (first === -1) {
      this.carry = this.carry === undefined ? Buffer.from(bytes) : Buffer.concat([this.carry, bytes]);
      return;
    }
    // Lines are scanned whole: a literal and its key are on one line of a JSON Lines file.
    if (this.carry !== undefined) this.scan(Buffer.concat([this.carry, bytes.subarray(0, first)]));
    else this.scan(bytes.subarray(0, first));
    const last = bytes.lastIndexOf(NEWLINE);
    this.scan(bytes.subarray(first + 1, last));
    this.carry = last + 1 < bytes.length ? Buffer.from(bytes.subarray(last + 1)) : undefined;
  }

  end(): void {
    if (this.carry !== undefined) this.scan(this.carry);
    this.carry = undefined;
  }

  /** The keys that hold a boolean on some line; undefined when the scan could not tell. */
  keys(): ReadonlySet<string> | undefined {
    return this.unknown ? undefined : this.found;
  }

  private scan(bytes: Buffer): void {
    for (const word of [TRUE, FALSE]) {
      for (let at = bytes.indexOf(word); at !== -1 && !this.unknown; at = bytes.indexOf(word, at + 1)) {
        this.literalAt(bytes, at);
      }
    }
  }

  private literalAt(bytes: Buffer, at: number): void {
    let i = skipBlanks(bytes, at - 1);
    if (bytes[i] !== COLON) return;
    i = skipBlanks(bytes, i - 1);
    if (bytes[i] !== QUOTE) return;
    const open = bytes.lastIndexOf(QUOTE, i - 1);
    if (open === -1) return;
    if (bytes.subarray(open === 0 ? 0 : open - 1, i).includes(BACKSLASH)) {
      this.unknown = true;
      return;
    }
    this.found.add(bytes.toString("utf8", open + 1, i));
  }
}

/** The index of the last byte at or before `i` that is not a blank (-1: none). */
function skipBlanks(bytes: Buffer, i: number): number {
  let j = i;
  while (j >= 0 && (bytes[j] === 32 || bytes[j] === 9 || bytes[j] === 13)) j--;
  return j;
}

/**
 * The leaves (dotted names such as `inputs.age`) that may hold a boolean: those whose name is,
 * or ends with, a key of `keys`; every leaf when `keys` is undefined.
 *
 * @example
 * leavesWithBooleans(["inputs.age", "flag"], new Set(["flag"])); // Set { "flag" }
 */
export function leavesWithBooleans(
  leaves: readonly string[],
  keys: ReadonlySet<string> | undefined,
): ReadonlySet<string> {
  if (keys === undefined) return new Set(leaves);
  return new Set(leaves.filter((leaf) => [...keys].some((key) => leaf === key || leaf.endsWith(`.${key}`))));
}
