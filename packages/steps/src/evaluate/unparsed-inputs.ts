import { type Batch, type ColumnKind, UserError } from "@gauntlet/core";
import type { InputFeed } from "@gauntlet/model";

interface Tally {
  /** The manifest field that maps the model input this column feeds. */
  field: string;
  kind: ColumnKind | undefined;
  count: number;
  first: string[];
}

/** Counts, while the data streams, the model input cells that did not parse as their column's kind. */
export interface UnparsedInputs {
  /** Counts `batch`'s unparsed input cells on the rows `kept` says are evaluated (batch row → kept). */
  add(batch: Batch, kept: (row: number) => boolean): void;
  /** The error once the data is read, or `undefined` when every input cell parsed. */
  error(manifestFile: string): UserError | undefined;
}

/**
 * The model input cells that did not parse (`n/a` in a numeric column): the reader makes them
 * missing, and the model would score them as if the data had no value there, an imputation
 * nobody asked for. Evaluation counts them per column and fails with the count, the first rows
 * and the model input they feed, rather than report numbers computed from them.
 *
 * @example
 * const unparsed = unparsedInputs(candidate.mapping.inputs);
 * for (const batch of batches) unparsed.add(batch, () => true);
 * unparsed.error("models/churn/model.yml")?.message;
 * // 'models/churn/model.yml: artefact.inputs.numeric: the model input column "tenure_months" has 39 cells that do not parse as numbers (first: data/eval.csv row 1 = "n/a"; ...)...'
 */
export function unparsedInputs(feeds: readonly InputFeed[]): UnparsedInputs {
  const tallies = new Map<string, Tally>();
  for (const feed of feeds) {
    for (const column of feed.columns) {
      if (!tallies.has(column))
        tallies.set(column, { field: feed.field, kind: undefined, count: 0, first: [] });
    }
  }
  return {
    add(batch, kept) {
      for (const [column, tally] of tallies) {
        for (const cell of batch.invalid.get(column) ?? []) {
          if (!kept(cell.row - batch.firstRow)) continue;
          tally.kind ??= batch.columns.get(column)?.kind;
          tally.count++;
          if (tally.first.length < 3)
            tally.first.push(`${batch.source} row ${cell.row} = ${JSON.stringify(cell.raw)}`);
        }
      }
    },
    error(manifestFile) {
      const bad = [...tallies].filter(([, t]) => t.count > 0);
      const [column, tally] = bad[0] ?? [];
      if (column === undefined || tally === undefined) return undefined;
      const others = bad
        .slice(1)
        .map(([c, t]) => `${c} (${t.count})`)
        .join(", ");
      const cells = tally.count === 1 ? "cell that does" : "cells that do";
      return new UserError(
        `the model input column "${column}" has ${tally.count} ${cells} not parse as ${tally.kind ?? "number"}s ` +
          `(first: ${tally.first.join("; ")})${others ? `, as do other input columns: ${others}` : ""}; ` +
          "the model would score them as missing values",
        {
          file: manifestFile,
          field: tally.field,
          fix: `leave a missing value empty and write every other as a ${tally.kind ?? "number"}, or clean "${column}" before evaluating (validate-data's parse check lists every row)`,
        },
      );
    },
  };
}
