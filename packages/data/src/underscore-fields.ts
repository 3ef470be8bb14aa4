/**
 * Which fields of a CSV/TSV file hold an underscore on some line, found while the file is
 * scanned for long lines. DuckDB's number cast reads "1_000" as 1000, which parseNumber refuses:
 * a number column must be checked cell by cell for underscores, which costs about a fifth of
 * DuckDB's work on the 1M-row bench CSV. A column none of whose cells holds one needs no check.
 * Fields are counted by delimiters, which is exact only without quotes and with `\n` or `\r\n`
 * line ends: a file with a double quote or a lone `\r` gives no answer (every column checked).
 *
 * @example
 * const scan = new UnderscoreFields(",");
 * scan.add(Buffer.from("id,plan_name,n\n1,prepaid_basic,3\n2,x,4_0\n"));
 * scan.end();
 * scan.lines(); // Map { 1 => 2, 2 => 1 } (field 1 on two lines, the header's among them; field 2 on one)
 */
export class UnderscoreFields {
  private readonly delimiter: number;
  /** Field index → lines on which it holds an underscore. */
  private readonly counts = new Map<number, number>();
  /** Delimiters on the current line before `counted` (the chunk offset counted to). */
  private field = 0;
  /** The last field marked on the current line, so a line counts once per field. */
  private marked = -1;
  private unknown = false;
  private ended = false;
  /** The previous chunk ended with `\r`. */
  private carriageReturn = false;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  add(bytes: Uint8Array): void {
    if (this.unknown) return;
    if (bytes.indexOf(34) !== -1 || this.loneCarriageReturn(bytes)) {
      this.unknown = true;
      return;
    }
    // Only lines with an underscore are looked at (most have none): an underscore's field is
    // the delimiters between its line's start and it, counted walking back from it to the line's
    // start or to the underscore before it on the line (`counted`), whichever comes first. A
    // native indexOf per underscore and no other: on the 1M-row bench CSV (an underscore on
    // nearly every line) looking up each line's ends cost as much again as the counting.
    const delimiter = this.delimiter;
    let counted = 0;
    for (
      let underscore = bytes.indexOf(95);
      underscore !== -1;
      underscore = bytes.indexOf(95, underscore + 1)
    ) {
      let delimiters = 0;
      let i = underscore - 1;
      for (; i >= counted; i--) {
        const byte = bytes[i];
        if (byte === delimiter) delimiters++;
        else if (byte === 10) break;
      }
      if (i >= counted) this.newLine();
      this.field += delimiters;
      counted = underscore;
      if (this.field !== this.marked) {
        this.counts.set(this.field, (this.counts.get(this.field) ?? 0) + 1);
        this.marked = this.field;
      }
    }
    // The line that runs into the next chunk carries its delimiters so far.
    const last = bytes.lastIndexOf(10);
    if (last >= counted) {
      this.newLine();
      counted = last + 1;
    }
    this.field += this.delimitersIn(bytes, counted, bytes.length);
  }

  private newLine(): void {
    this.field = 0;
    this.marked = -1;
  }

  /** The whole file has been added. */
  end(): void {
    this.ended = true;
  }

  /**
   * Field index → lines holding an underscore in it; undefined when the scan could not tell or
   * did not reach the end of the file.
   */
  lines(): Map<number, number> | undefined {
    return this.unknown || !this.ended ? undefined : this.counts;
  }

  private delimitersIn(bytes: Uint8Array, from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) if (bytes[i] === this.delimiter) n++;
    return n;
  }

  private loneCarriageReturn(bytes: Uint8Array): boolean {
    if (this.carriageReturn && bytes.length > 0 && bytes[0] !== 10) return true;
    for (let cr = bytes.indexOf(13); cr !== -1; cr = bytes.indexOf(13, cr + 1)) {
      if (cr + 1 < bytes.length && bytes[cr + 1] !== 10) return true;
    }
    this.carriageReturn = bytes.length > 0 && bytes[bytes.length - 1] === 13;
    return false;
  }
}

/**
 * The columns of `names` (the header's fields, in order) that hold an underscore in some cell
 * below the header, as {@link UnderscoreFields} counted them; undefined when it could not tell.
 *
 * @example
 * columnsWithUnderscores(["id", "plan_name", "n"], new Map([[1, 2], [2, 1]])); // Set { "plan_name", "n" }
 */
export function columnsWithUnderscores(
  names: readonly string[],
  lines: ReadonlyMap<number, number> | undefined,
): Set<string> | undefined {
  if (lines === undefined) return undefined;
  // The header's own underscores are one line of their field; a field beyond the header's is
  // refused by DuckDB's strict reading anyway.
  return new Set(names.filter((name, f) => (lines.get(f) ?? 0) - (name.includes("_") ? 1 : 0) > 0));
}
