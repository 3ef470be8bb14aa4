import { selectRows } from "../drift/select-rows.js";
import { cellValueText } from "../slicing/slice-value.js";
import type { Batch, Column, InvalidCell } from "../table/column.js";
import { type Shard, shardOf } from "./shard.js";

/**
 * The identity text of row `i` as sharding and bootstrap weights use it: the key columns' values
 * joined by NUL, or `#<row>` (1-based, counted over the whole table in read order) when there is
 * no key column or a key cell is null. Numbers read as `String(n)`, timestamps as ISO 8601.
 *
 * @example
 * rowIdentity([customerId], 0, 41); // "c-0042"
 * rowIdentity([], 0, 41);           // "#42"
 */
export function rowIdentity(keys: readonly (Column | undefined)[], i: number, rowNumber: number): string {
  return keyIdentity(keys, i) ?? `#${rowNumber + 1}`;
}

/**
 * The key text of row `i`: the key columns' values joined by NUL (as {@link rowIdentity} reads
 * them), or `undefined` when there is no key column or a key cell is null or missing. Joining two
 * tables by key compares these texts.
 *
 * @example
 * keyIdentity([customerId], 0); // "c-0042"
 * keyIdentity([customerId, month], 3); // "c-0042\u00002025-05"
 */
export function keyIdentity(keys: readonly (Column | undefined)[], i: number): string | undefined {
  const parts: string[] = [];
  for (const key of keys) {
    const text = key ? cellValueText(key, i) : undefined;
    if (text === undefined) return undefined;
    parts.push(text);
  }
  return parts.length > 0 ? parts.join("\u0000") : undefined;
}

/**
 * The rows of `batch` that belong to `shard`, by {@link rowIdentity} of the `keys` columns;
 * `offset` is how many rows of the table came before this batch (for rows without a key).
 *
 * @example
 * shardRows(batch, ["customer_id"], { index: 1, count: 2 }, 0); // Uint32Array [0, 3, 4, …]
 */
export function shardRows(batch: Batch, keys: readonly string[], shard: Shard, offset: number): Uint32Array {
  const columns = keys.map((k) => batch.columns.get(k));
  const kept: number[] = [];
  for (let i = 0; i < batch.length; i++) {
    if (shardOf(rowIdentity(columns, i, offset + i), shard.count) === shard.index) kept.push(i);
  }
  return Uint32Array.from(kept);
}

/**
 * `batch` restricted to `rows` (ascending), every column kept. Unparseable cells of kept rows are
 * carried over with their source row numbers (`InvalidCell.row`), so a shard reports bad cells as a
 * single run would; `firstRow` stays the source batch's, as kept rows are no longer consecutive.
 *
 * @example
 * takeRows(batch, Uint32Array.of(0, 2)).length; // 2
 */
export function takeRows(batch: Batch, rows: Uint32Array): Batch {
  if (rows.length === batch.length) return batch;
  const names = new Map([...batch.columns.keys()].map((name) => [name, name]));
  const taken = selectRows(batch, rows, names);
  const position = new Map<number, number>();
  rows.forEach((row, at) => {
    position.set(batch.firstRow + row, at);
  });
  for (const [name, cells] of batch.invalid) {
    const kept: InvalidCell[] = cells.filter((cell) => position.has(cell.row));
    if (kept.length > 0) taken.invalid.set(name, kept);
  }
  return taken;
}
