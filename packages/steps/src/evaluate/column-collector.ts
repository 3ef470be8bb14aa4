import type { Column, ColumnKind } from "@gauntlet/core";
import { type BlockBuffer, blockBuffer } from "./block-buffer.js";

/** Appends one column's batches and joins them into one {@link Column} at the end. */
export interface ColumnCollector {
  add(column: Column | undefined, rows: number): void;
  finish(): Column;
}

/**
 * Collects a column over a stream of batches. A batch that lacks the column (one file of a glob
 * without it) contributes nulls, as a reader would for a missing cell. The kind is the first one
 * seen; the reader keeps kinds stable across files, so later batches agree. `expected` (about
 * the rows to come, a little over) sizes its buffers so that `finish` need not join blocks.
 *
 * @example
 * const region = collectColumn();
 * for await (const batch of readTable("data/*.csv")) region.add(batch.columns.get("region"), batch.length);
 * region.finish(); // { kind: "category", values: [...all rows], nulls: Uint8Array }
 */
export function collectColumn(expected?: number): ColumnCollector {
  let kind: ColumnKind | undefined;
  // Batches seen before the kind is known wait here; numbers, timestamps and booleans are copied
  // into blocks as they arrive (see `blockBuffer`), categories as codes (see `categoryCodes`).
  const parts: { column: Column | undefined; rows: number }[] = [];
  let typed: { values: BlockBuffer<Float64Array> | BlockBuffer<Uint8Array>; nulls: BlockBuffer<Uint8Array> };
  let text: CategoryCodes | undefined;
  const append = (column: Column | undefined, rows: number) => {
    if (text) {
      text.add(column as Extract<Column, { kind: "category" }> | undefined, rows);
    } else if (column) {
      (typed.values as BlockBuffer<Float64Array>).push((column.values as Float64Array).subarray(0, rows));
      typed.nulls.push(column.nulls.subarray(0, rows));
    } else {
      typed.values.fill(kind === "boolean" ? 0 : Number.NaN, rows);
      typed.nulls.fill(1, rows);
    }
  };
  return {
    add(column, rows) {
      kind ??= column?.kind;
      if (kind === undefined) {
        parts.push({ column, rows });
        return;
      }
      if (!typed && !text) {
        if (kind === "category") text = categoryCodes(expected);
        else
          typed = {
            values:
              kind === "boolean"
                ? blockBuffer((n) => new Uint8Array(n), expected)
                : blockBuffer((n) => new Float64Array(n), expected),
            nulls: blockBuffer((n) => new Uint8Array(n), expected),
          };
        for (const part of drain(parts)) append(part.column, part.rows);
      }
      append(column, rows);
    },
    // Each batch is dropped once copied, so at most one batch's values exist twice.
    finish() {
      if (text) return text.finish();
      if (typed) {
        const nulls = typed.nulls.finish();
        return kind === "boolean"
          ? { kind: "boolean", values: (typed.values as BlockBuffer<Uint8Array>).finish(), nulls }
          : {
              kind: kind as "number" | "timestamp",
              values: (typed.values as BlockBuffer<Float64Array>).finish(),
              nulls,
            };
      }
      // No batch had the column: every row is null.
      const rows = parts.reduce((sum, p) => sum + p.rows, 0);
      parts.length = 0;
      return {
        kind: "category",
        values: new Array<string>(rows).fill(""),
        nulls: new Uint8Array(rows).fill(1),
      };
    },
  };
}

/** A category column kept as one code per row into its distinct values; see {@link categoryCodes}. */
interface CategoryCodes {
  add(column: Extract<Column, { kind: "category" }> | undefined, rows: number): void;
  finish(): Column;
}

/** Distinct values coded per column; beyond them a column's rows are kept as their strings. */
const MAX_CODES = 1 << 16;

/**
 * Collects a category column as 4-byte codes into its distinct values, and makes the strings
 * only at the end: a batch's array of strings dies young instead of being held (and traced by
 * every garbage collection) until the last batch, which at 10M rows is hundreds of MB of arrays.
 * A column of more than {@link MAX_CODES} distinct values (an id) keeps its later batches as they
 * are, so the code table never grows with the rows.
 */
function categoryCodes(expected: number | undefined): CategoryCodes {
  const index = new Map<string, number>();
  const words: string[] = [];
  const codes = blockBuffer((n) => new Uint32Array(n), expected);
  const nulls: BlockBuffer<Uint8Array> = blockBuffer((n) => new Uint8Array(n), expected);
  const kept: { column: Extract<Column, { kind: "category" }> | undefined; rows: number }[] = [];
  let coded = 0;
  const codeOf = (text: string): number => {
    let code = index.get(text);
    if (code === undefined) {
      code = words.length;
      index.set(text, code);
      words.push(text);
    }
    return code;
  };
  return {
    add(column, rows) {
      if (kept.length > 0 || index.size > MAX_CODES) {
        kept.push({ column, rows });
        return;
      }
      const batch = new Uint32Array(rows);
      if (column) {
        for (let i = 0; i < rows; i++) batch[i] = codeOf(column.values[i]!);
        nulls.push(column.nulls.subarray(0, rows));
      } else {
        batch.fill(codeOf(""));
        nulls.fill(1, rows);
      }
      codes.push(batch);
      coded += rows;
    },
    finish() {
      const rows = kept.reduce((sum, p) => sum + p.rows, coded);
      const values: string[] = new Array(rows);
      const code = codes.finish();
      for (let i = 0; i < coded; i++) values[i] = words[code[i]!]!;
      const flags = new Uint8Array(rows);
      flags.set(nulls.finish());
      let at = coded;
      for (const { column, rows: n } of drain(kept)) {
        for (let i = 0; i < n; i++) {
          values[at + i] = column ? column.values[i]! : "";
          flags[at + i] = column ? column.nulls[i]! : 1;
        }
        at += n;
      }
      return { kind: "category", values, nulls: flags };
    },
  };
}

/** Yields the items in order, each removed from `items` first, so it can be collected once used. */
export function* drain<T>(items: T[]): Generator<T> {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    items[i] = undefined as T;
    yield item;
  }
  items.length = 0;
}
