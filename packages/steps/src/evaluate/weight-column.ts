import { type Batch, UserError } from "@gauntlet/core";

const FIX = "give every row a finite number ≥ 0 as its weight (0 leaves the row out of every metric)";

/**
 * Checks one batch's cells of a weight column (`evaluation.weight` or `shadow.weight`, read as
 * numbers; `origin` is the manifest and that field): the first
 * cell that is not a number, is empty, is not finite or is negative is one {@link UserError}
 * naming the file, the row, the column and its value. Every row read is checked, also those a
 * shard leaves to another shard, so every shard of a run fails on the same cell.
 *
 * @example
 * checkWeightCells(batch, "sample_weight", { file: "models/churn/model.yml", field: "evaluation.weight" });
 * // throws: 'models/churn/model.yml: evaluation.weight: the weight column "sample_weight" is negative
 * //   at data/eval.csv row 12 (-2) ...'
 */
export function checkWeightCells(
  batch: Batch,
  column: string,
  origin: { file: string; field: string },
): void {
  const at = (row: number) => `${batch.source} row ${row}`;
  const fail = (problem: string, fix = FIX) =>
    new UserError(`the weight column "${column}" ${problem}`, { ...origin, fix });
  const invalid = batch.invalid.get(column)?.[0];
  const cells = batch.columns.get(column);
  if (!cells) {
    throw fail(
      `is not in ${batch.source}`,
      `add the weight column to every file read, or set ${origin.field} to a column they all have`,
    );
  }
  if (cells.kind !== "number") throw fail(`is read as ${cells.kind} in ${batch.source}, not as numbers`);
  const values = cells.values;
  for (let i = 0; i < batch.length; i++) {
    const row = batch.firstRow + i;
    if (invalid && invalid.row === row) {
      throw fail(`has a value that is not a number at ${at(row)} (${JSON.stringify(invalid.raw)})`);
    }
    const w = values[i]!;
    if (cells.nulls[i]) throw fail(`has no value at ${at(row)}`);
    if (!Number.isFinite(w)) throw fail(`is not finite at ${at(row)} (${w})`);
    if (w < 0) throw fail(`is negative at ${at(row)} (${w})`);
  }
}

/**
 * Refuses weights that leave nothing to evaluate: every one 0 (or no rows). Checked on a whole
 * evaluation (a single run, or a merge of shards), never on one shard, which may hold only rows
 * of weight 0.
 *
 * @example
 * requireSomeWeight(Float64Array.of(0, 0), "sample_weight", "data/eval.csv", "models/churn/model.yml");
 * // throws: '... the weight column "sample_weight" is 0 on every row of data/eval.csv (2 rows) ...'
 */
export function requireSomeWeight(
  weights: Float64Array,
  column: string,
  data: string,
  manifestFile: string,
): void {
  if (weights.some((w) => w > 0)) return;
  throw new UserError(
    `the weight column "${column}" is 0 on every row of ${data} (${weights.length} rows): there is nothing to evaluate`,
    {
      file: manifestFile,
      field: "evaluation.weight",
      fix: "give the rows to evaluate a weight above 0, or set evaluation.weight to the column that holds the weights",
    },
  );
}
