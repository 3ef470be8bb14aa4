import type { Batch, Column } from "../table/column.js";

/**
 * A batch holding only the rows at `rows` (ascending indices into `batch`) and only the columns
 * `names` maps, renamed to its values. Columns are copied; the source batch is left as it was.
 * Used to split a log batch into time windows and to strip the `features` prefix of logged
 * inputs so they line up with the reference profile's column names.
 *
 * @example
 * selectRows(batch, Uint32Array.of(0, 2), new Map([["inputs.age", "age"]]));
 * // { ..., length: 2, columns: Map { "age" => { kind: "number", values: Float64Array [31, 45], ... } } }
 */
export function selectRows(
  batch: Batch,
  rows: Uint32Array | null,
  names: ReadonlyMap<string, string>,
): Batch {
  const columns = new Map<string, Column>();
  for (const [from, to] of names) {
    const column = batch.columns.get(from);
    if (column) columns.set(to, rows ? pick(column, rows) : column);
  }
  return {
    source: batch.source,
    firstRow: batch.firstRow,
    length: rows ? rows.length : batch.length,
    columns,
    invalid: new Map(),
  };
}

function pick(column: Column, rows: Uint32Array): Column {
  const nulls = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) nulls[i] = column.nulls[rows[i]!]!;
  switch (column.kind) {
    case "number":
    case "timestamp": {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]!]!;
      return { kind: column.kind, values, nulls };
    }
    case "boolean": {
      const values = new Uint8Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]!]!;
      return { kind: "boolean", values, nulls };
    }
    case "category": {
      const values = new Array<string>(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]!]!;
      return { kind: "category", values, nulls };
    }
  }
}
