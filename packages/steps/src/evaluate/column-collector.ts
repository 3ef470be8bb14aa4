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
 * seen; the reader keeps kinds stable across files, so later batches agree.
 *
 * @example
 * const region = collectColumn();
 * for await (const batch of readTable("data/*.csv")) region.add(batch.columns.get("region"), batch.length);
 * region.finish(); // { kind: "category", values: [...all rows], nulls: Uint8Array }
 */
export function collectColumn(): ColumnCollector {
  let kind: ColumnKind | undefined;
  // Category batches (and batches seen before the kind is known) are kept and joined at the end;
  // numbers, timestamps and booleans are copied into blocks as they arrive (see `blockBuffer`).
  const parts: { column: Column | undefined; rows: number }[] = [];
  let typed: { values: BlockBuffer<Float64Array> | BlockBuffer<Uint8Array>; nulls: BlockBuffer<Uint8Array> };
  const append = (column: Column | undefined, rows: number) => {
    if (column) {
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
      if (kind === undefined || kind === "category") {
        parts.push({ column, rows });
        return;
      }
      if (!typed) {
        typed = {
          values:
            kind === "boolean"
              ? blockBuffer((n) => new Uint8Array(n))
              : blockBuffer((n) => new Float64Array(n)),
          nulls: blockBuffer((n) => new Uint8Array(n)),
        };
        for (const part of drain(parts)) append(part.column, part.rows);
      }
      append(column, rows);
    },
    // Each batch is dropped once copied, so at most one batch's values exist twice.
    finish() {
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
      const rows = parts.reduce((sum, p) => sum + p.rows, 0);
      const nulls = new Uint8Array(rows);
      const values: string[] = new Array(rows);
      let at = 0;
      for (const { column, rows: n } of drain(parts)) {
        for (let i = 0; i < n; i++) {
          values[at + i] = column ? (column.values[i] as string) : "";
          nulls[at + i] = column ? column.nulls[i]! : 1;
        }
        at += n;
      }
      return { kind: "category", values, nulls };
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
