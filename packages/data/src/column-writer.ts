import type { Column, ColumnKind, InvalidCell } from "@gauntlet/core";
import { type Cell, cellText } from "./cell.js";
import { parseBoolean } from "./parse-boolean.js";
import { numberInRange, parseNumber } from "./parse-number.js";
import { parseTimestamp, timestampInRange } from "./parse-timestamp.js";

/** Longest raw text kept for an invalid cell, as {@link InvalidCell.raw} promises. */
const maxRawLength = 100;

/** Distinct values interned per category column and batch. */
const maxInterned = 1024;

/**
 * Fills one column of one batch, converting each raw cell as it arrives, so that the text of
 * number, boolean and timestamp cells can be freed at once instead of living until the batch is
 * complete. Missing cells (`null`, `undefined`, `""`) become nulls; a cell that does not parse as
 * the kind becomes a null and is listed as invalid with its 1-based row number. Every invalid
 * cell is listed, so counts are exact; the list is bounded by the batch size.
 *
 * @example
 * const writer = new ColumnWriter("number", 3, 1);
 * ["1", "", "x"].forEach((cell, row) => writer.set(row, cell));
 * writer.finish(3);
 * // { column: { kind: "number", values: Float64Array [1, NaN, NaN], nulls: Uint8Array [0, 1, 1] },
 * //   invalid: [{ row: 3, raw: "x" }] }
 */
export class ColumnWriter {
  readonly invalid: InvalidCell[] = [];
  private readonly numbers: Float64Array | undefined;
  private readonly flags: Uint8Array | undefined;
  private readonly texts: string[] | undefined;
  private readonly nulls: Uint8Array;
  private interned: Map<string, string> | undefined = new Map();

  constructor(
    readonly kind: ColumnKind,
    capacity: number,
    private readonly firstRow: number,
  ) {
    this.nulls = new Uint8Array(capacity);
    if (kind === "number" || kind === "timestamp") this.numbers = new Float64Array(capacity);
    else if (kind === "boolean") this.flags = new Uint8Array(capacity);
    // Sized once: an array grown row by row to a batch's 65,536 rows allocates its values
    // about three times over (179 -> 110 MB allocated reading the evaluate bench's columns).
    else this.texts = new Array<string>(capacity);
  }

  /** Sets row `row` (0-based within the batch); rows must be set in order, each exactly once. */
  set(row: number, cell: Cell): void {
    const missing = cell === null || cell === undefined || cell === "";
    if (this.texts !== undefined) {
      if (missing) {
        this.texts[row] = "";
        this.nulls[row] = 1;
      } else {
        this.texts[row] = this.intern(typeof cell === "string" ? cell : cellText(cell));
      }
      return;
    }
    if (this.numbers !== undefined) {
      const value = missing ? undefined : this.kind === "number" ? toNumber(cell) : toTimestamp(cell);
      if (value === undefined) {
        this.numbers[row] = Number.NaN;
        this.reject(row, cell);
      } else {
        this.numbers[row] = value;
      }
      return;
    }
    const value = missing ? undefined : toBoolean(cell);
    if (value === undefined) this.reject(row, cell);
    else this.flags![row] = value ? 1 : 0;
  }

  /**
   * Sets row `row` of a category column to `text`, a string already shared by every row with the
   * value (a dictionary's): no interning.
   */
  setShared(row: number, text: string): void {
    this.texts![row] = text;
    if (text === "") this.nulls[row] = 1;
  }

  /**
   * Sets rows `row…` of a number or timestamp column to values already parsed (by DuckDB), in
   * one copy; rows that are missing or invalid are then {@link set} again.
   */
  setNumbers(row: number, values: Float64Array): void {
    this.numbers!.set(values, row);
  }

  /**
   * Sets row `row` to the text `input.slice(start, end)`, parsing numbers and timestamps straight
   * from `input` so that no string is made for them.
   */
  setText(row: number, input: string, start: number, end: number): void {
    if (this.numbers === undefined || start === end) {
      this.set(row, input.slice(start, end));
      return;
    }
    const value =
      this.kind === "number" ? numberInRange(input, start, end) : timestampInRange(input, start, end);
    if (value !== undefined) this.numbers[row] = value;
    // Rare: whitespace around a timestamp, or not a value at all; take the general path.
    else this.set(row, input.slice(start, end));
  }

  /** The column of the first `length` rows, and the cells that did not parse. */
  finish(length: number): Column {
    const nulls = this.nulls.length === length ? this.nulls : this.nulls.slice(0, length);
    if (this.texts !== undefined) {
      // A last batch shorter than the capacity ends at its last row.
      if (this.texts.length > length) this.texts.length = length;
      return { kind: "category", values: this.texts, nulls };
    }
    if (this.flags !== undefined) {
      return {
        kind: "boolean",
        values: this.flags.length === length ? this.flags : this.flags.slice(0, length),
        nulls,
      };
    }
    const values = this.numbers!.length === length ? this.numbers! : this.numbers!.slice(0, length);
    return this.kind === "timestamp"
      ? { kind: "timestamp", values, nulls }
      : { kind: "number", values, nulls };
  }

  /**
   * Returns one shared string per distinct category value (up to a bound), so that a batch of a
   * low-cardinality column keeps a handful of strings alive instead of one per row; this halves
   * the garbage collector's work on wide files. High-cardinality columns stop being interned.
   */
  private intern(text: string): string {
    const interned = this.interned;
    if (interned === undefined) return text;
    const known = interned.get(text);
    if (known !== undefined) return known;
    if (interned.size >= maxInterned) this.interned = undefined;
    else interned.set(text, text);
    return text;
  }

  private reject(row: number, cell: Cell): void {
    this.nulls[row] = 1;
    if (cell !== null && cell !== undefined && cell !== "") {
      this.invalid.push({ row: this.firstRow + row, raw: cellText(cell).slice(0, maxRawLength) });
    }
  }
}

/**
 * Converts raw cells `cells[start..end)` to a typed column with a {@link ColumnWriter};
 * `firstRow` is the 1-based row number of `cells[start]`. Invalid cells are appended to `invalid`.
 *
 * @example
 * const invalid: InvalidCell[] = [];
 * buildColumn("boolean", ["true", "False", "yes"], 0, 3, 10, invalid);
 * // { kind: "boolean", values: Uint8Array [1, 0, 0], nulls: Uint8Array [0, 0, 1] }; invalid: [{ row: 12, raw: "yes" }]
 */
export function buildColumn(
  kind: ColumnKind,
  cells: ArrayLike<Cell>,
  start: number,
  end: number,
  firstRow: number,
  invalid: InvalidCell[],
): Column {
  const writer = new ColumnWriter(kind, end - start, firstRow);
  for (let i = start; i < end; i++) writer.set(i - start, cells[i]);
  for (const cell of writer.invalid) invalid.push(cell);
  return writer.finish(end - start);
}

function toNumber(cell: Exclude<Cell, null | undefined>): number | undefined {
  if (typeof cell === "string") return parseNumber(cell);
  if (typeof cell === "number") return cell;
  if (typeof cell === "bigint") return Number(cell);
  return undefined;
}

// JSON numbers are not read as epoch times: seconds or milliseconds would be a guess.
function toTimestamp(cell: Exclude<Cell, null | undefined>): number | undefined {
  if (typeof cell === "string") return parseTimestamp(cell);
  if (cell instanceof Date) {
    const time = cell.getTime();
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}

function toBoolean(cell: Exclude<Cell, null | undefined>): boolean | undefined {
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "string") return parseBoolean(cell, { numeric: true });
  if (cell === 1 || cell === 0 || cell === 1n || cell === 0n) return cell === 1 || cell === 1n;
  return undefined;
}
