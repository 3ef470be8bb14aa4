import type { Column } from "@gauntlet/core";
import { type ColumnCollector, collectColumn } from "./column-collector.js";
import type { BatchSink } from "./score-rows.js";

/** Every row's label and slice values, joined from the batches. */
export interface CollectedColumns {
  label: Column;
  /** Raw text of label cells that did not parse as the column's kind, by row index. */
  labelText: Map<number, string>;
  sliceColumns: Map<string, Column>;
  /** Every row's weight (`evaluation.weight`), when one is read; checked by `checkWeightCells`. */
  weights?: Float64Array;
}

/**
 * The {@link BatchSink} that keeps the label and slice columns of every batch whole, for an
 * evaluation that needs them all at once (multiclass, regression, a shard's state).
 *
 * @example
 * const columns = collectBatches("churned", ["region"], "sample_weight");
 * await scoreRows({ ...options, sink: columns });
 * columns.finish().sliceColumns.get("region"); // { kind: "category", values: [...all rows], nulls }
 */
export function collectBatches(
  label: string,
  sliceColumns: readonly string[],
  weight?: string,
): BatchSink & { finish(): CollectedColumns } {
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
      weights?.add(batch.columns.get(weight!), batch.rows);
      rows += batch.rows;
    },
    finish: () => {
      const { labels, weights, slices } = collectors(0);
      return {
        label: labels.finish(),
        labelText,
        sliceColumns: new Map([...slices].map(([name, c]) => [name, c.finish()])),
        ...(weights ? { weights: weights.finish().values as Float64Array } : {}),
      };
    },
  };
}
