import type { Column, ColumnKind } from "@gauntlet/core";

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
  const parts: { column: Column | undefined; rows: number }[] = [];
  return {
    add(column, rows) {
      kind ??= column?.kind;
      parts.push({ column, rows });
    },
    finish() {
      const rows = parts.reduce((sum, p) => sum + p.rows, 0);
      const nulls = new Uint8Array(rows);
      const resolved = kind ?? "category";
      let at = 0;
      if (resolved === "category") {
        const values: string[] = new Array(rows);
        for (const { column, rows: n } of parts) {
          for (let i = 0; i < n; i++) {
            values[at + i] = column ? (column.values[i] as string) : "";
            nulls[at + i] = column ? column.nulls[i]! : 1;
          }
          at += n;
        }
        return { kind: "category", values, nulls };
      }
      const values = resolved === "boolean" ? new Uint8Array(rows) : new Float64Array(rows);
      for (const { column, rows: n } of parts) {
        if (column) {
          values.set(column.values as ArrayLike<number>, at);
          nulls.set(column.nulls, at);
        } else {
          if (values instanceof Float64Array) values.fill(Number.NaN, at, at + n);
          nulls.fill(1, at, at + n);
        }
        at += n;
      }
      return resolved === "boolean"
        ? { kind: "boolean", values: values as Uint8Array, nulls }
        : { kind: resolved, values: values as Float64Array, nulls };
    },
  };
}

/**
 * The text of one cell, as slices and labels compare it: numbers via `String`, booleans as
 * `true`/`false`, timestamps as ISO 8601, `undefined` for a null.
 *
 * @example
 * cellText({ kind: "number", values: Float64Array.of(1), nulls: Uint8Array.of(0) }, 0); // "1"
 */
export function cellText(column: Column, i: number): string | undefined {
  if (column.nulls[i]) return undefined;
  switch (column.kind) {
    case "category":
      return column.values[i]!;
    case "boolean":
      return column.values[i] ? "true" : "false";
    case "number":
      return Number.isNaN(column.values[i]!) ? undefined : String(column.values[i]);
    case "timestamp":
      return Number.isFinite(column.values[i]!) ? new Date(column.values[i]!).toISOString() : undefined;
  }
}
