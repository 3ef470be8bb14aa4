import type { Column, ColumnKind, SliceAssigner, SliceAssignment } from "@gauntlet/core";
import { type ColumnCollector, collectColumn } from "./column-collector.js";
import type { BatchSink } from "./score-rows.js";

/**
 * What is kept of the slice columns: each named column whole (a shard's part file carries them),
 * or only each row's slices, put in them batch by batch by `assigner` (see `evaluationSlices`),
 * so that no slice column is ever held whole; `kinds` gives the kind of a column a batch lacks.
 */
export type SliceSink =
  | readonly string[]
  | { assigner: SliceAssigner; columns: readonly string[]; kinds: ReadonlyMap<string, ColumnKind> };

/** Every row's label and slice values, joined from the batches. */
export interface CollectedColumns {
  label: Column;
  /** Raw text of label cells that did not parse as the column's kind, by row index. */
  labelText: Map<number, string>;
  /** The slice columns collected whole (none when they were assigned batch by batch). */
  sliceColumns: Map<string, Column>;
  /** Every row's slices, when an assigner put them there batch by batch. */
  sliceAssignment?: SliceAssignment;
  /** Every row's weight (`evaluation.weight`), when one is read; checked by `checkWeightCells`. */
  weights?: Float64Array;
}

/**
 * The {@link BatchSink} that keeps the label (and weight) column of every batch whole, and of the
 * slice columns either each column whole or, with an assigner, only each row's slices (see
 * {@link SliceSink}).
 *
 * @example
 * const columns = collectBatches("churned", ["region"], "sample_weight");
 * await scoreRows({ ...options, sink: columns });
 * columns.finish().sliceColumns.get("region"); // { kind: "category", values: [...all rows], nulls }
 */
export function collectBatches(
  label: string,
  slices: SliceSink,
  weight?: string,
): BatchSink & { finish(): CollectedColumns } {
  const assigned = Array.isArray(slices) ? undefined : (slices as Exclude<SliceSink, readonly string[]>);
  const sliceColumns = assigned ? [] : (slices as readonly string[]);
  const labelText = new Map<number, string>();
  // Made at the first batch, which says how many rows to expect.
  let made: { labels: ColumnCollector; weights?: ColumnCollector; slices: Map<string, ColumnCollector> };
  const collectors = (expected: number | undefined) => {
    made ??= {
      labels: collectColumn(expected),
      ...(weight === undefined ? {} : { weights: collectColumn(expected) }),
      slices: new Map(sliceColumns.map((name) => [name, collectColumn(expected)])),
    };
    return made;
  };
  let rows = 0;
  return {
    add(batch) {
      const { labels, weights, slices } = collectors(batch.expectedRows);
      labels.add(batch.columns.get(label), batch.rows);
      for (const [at, raw] of batch.labelText) labelText.set(rows + at, raw);
      for (const [name, collector] of slices) collector.add(batch.columns.get(name), batch.rows);
      if (assigned) assigned.assigner.add(sliceBatch(batch.columns, assigned, batch.rows), batch.rows);
      weights?.add(batch.columns.get(weight!), batch.rows);
      rows += batch.rows;
    },
    finish: () => {
      const { labels, weights, slices } = collectors(0);
      return {
        label: labels.finish(),
        labelText,
        sliceColumns: new Map([...slices].map(([name, c]) => [name, c.finish()])),
        ...(assigned ? { sliceAssignment: assigned.assigner.finish() } : {}),
        ...(weights ? { weights: weights.finish().values as Float64Array } : {}),
      };
    },
  };
}

/**
 * A batch's slice columns, a column the batch lacks (one file of a glob without it) given as
 * nulls of its kind, as `collectColumn` would join it.
 */
function sliceBatch(
  columns: ReadonlyMap<string, Column>,
  slices: { columns: readonly string[]; kinds: ReadonlyMap<string, ColumnKind> },
  rows: number,
): ReadonlyMap<string, Column> {
  if (slices.columns.every((name) => columns.has(name))) return columns;
  const out = new Map(columns);
  for (const name of slices.columns) {
    if (out.has(name)) continue;
    const kind = slices.kinds.get(name) ?? "category";
    const nulls = new Uint8Array(rows).fill(1);
    out.set(
      name,
      kind === "category"
        ? { kind, values: new Array<string>(rows).fill(""), nulls }
        : kind === "boolean"
          ? { kind, values: new Uint8Array(rows), nulls }
          : { kind, values: new Float64Array(rows).fill(Number.NaN), nulls },
    );
  }
  return out;
}
