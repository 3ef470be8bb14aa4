import type { Column } from "@gauntlet/core";
import { collectColumn } from "./column-collector.js";
import type { BatchSink } from "./score-rows.js";

/** Every row's label and slice values, joined from the batches. */
export interface CollectedColumns {
  label: Column;
  /** Raw text of label cells that did not parse as the column's kind, by row index. */
  labelText: Map<number, string>;
  sliceColumns: Map<string, Column>;
}

/**
 * The {@link BatchSink} that keeps the label and slice columns of every batch whole, for an
 * evaluation that needs them all at once (multiclass, regression, a shard's state).
 *
 * @example
 * const columns = collectBatches("churned", ["region"]);
 * await scoreRows({ ...options, sink: columns });
 * columns.finish().sliceColumns.get("region"); // { kind: "category", values: [...all rows], nulls }
 */
export function collectBatches(
  label: string,
  sliceColumns: readonly string[],
): BatchSink & { finish(): CollectedColumns } {
  const labels = collectColumn();
  const labelText = new Map<number, string>();
  const slices = new Map(sliceColumns.map((name) => [name, collectColumn()]));
  let rows = 0;
  return {
    add(batch) {
      labels.add(batch.columns.get(label), batch.rows);
      for (const [at, raw] of batch.labelText) labelText.set(rows + at, raw);
      for (const [name, collector] of slices) collector.add(batch.columns.get(name), batch.rows);
      rows += batch.rows;
    },
    finish: () => ({
      label: labels.finish(),
      labelText,
      sliceColumns: new Map([...slices].map(([name, c]) => [name, c.finish()])),
    }),
  };
}
