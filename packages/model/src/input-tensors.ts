import { type Batch, type Column, UserError } from "@gauntlet/core";
import * as ort from "onnxruntime-node";
import { feedProblem } from "./feed-types.js";
import type { InputFeed } from "./input-plan.js";

/** The columns of one batch that feed one model input, checked against the feed. */
export interface BoundFeed {
  feed: InputFeed;
  columns: readonly Column[];
}

/**
 * Looks up each feed's columns in `batch` and checks their kinds, so a batch whose columns differ
 * from what {@link checkSignature} saw fails with the column's name rather than inside onnxruntime.
 *
 * @example
 * const bound = bindFeeds(mapping.inputs, batch, "models/churn/model.yml");
 * // [{ feed: { input: "numeric", … }, columns: [Column, Column, …] }]
 */
export function bindFeeds(feeds: readonly InputFeed[], batch: Batch, manifestFile: string): BoundFeed[] {
  return feeds.map((feed) => ({
    feed,
    columns: feed.columns.map((name) => {
      const column = batch.columns.get(name);
      if (column === undefined) {
        throw new UserError(
          `column "${name}" (feeding model input ${feed.input}) is not in ${batch.source}`,
          {
            file: manifestFile,
            field: feed.field,
            fix: "check the column name against the data's header, or map the input to another column",
          },
        );
      }
      const problem = feedProblem(column.kind, feed.elementType);
      if (problem) {
        throw new UserError(`column "${name}" in ${batch.source} ${problem.problem} (${feed.input})`, {
          file: manifestFile,
          field: feed.field,
          fix: problem.fix,
        });
      }
      return column;
    }),
  }));
}

/**
 * Input tensors for rows `[start, end)` of a batch: a list of k columns becomes one row-major
 * `[n, k]` tensor, one column `[n]` or `[n, 1]` as the model declares. Nulls become `NaN` in float
 * tensors and `""` in string tensors; int64 tensors cannot hold either a null or a fraction, so
 * those are a {@link UserError} naming the column and row.
 *
 * @example
 * const feeds = inputTensors(bindFeeds(mapping.inputs, batch, manifestFile), batch, 0, batch.length, manifestFile);
 * // { numeric: Tensor<float32>[n, 5], region: Tensor<string>[n, 1] }
 */
export function inputTensors(
  bound: readonly BoundFeed[],
  batch: Batch,
  start: number,
  end: number,
  manifestFile: string,
): Record<string, ort.Tensor> {
  const n = end - start;
  const feeds: Record<string, ort.Tensor> = {};
  for (const { feed, columns } of bound) {
    const k = columns.length;
    const dims = feed.layout === "vector" ? [n] : [n, k];
    if (feed.elementType === "string") {
      const data = new Array<string>(n * k);
      columns.forEach((column, j) => {
        const values = column.values as string[];
        for (let i = start; i < end; i++) data[(i - start) * k + j] = column.nulls[i] ? "" : values[i]!;
      });
      feeds[feed.input] = new ort.Tensor("string", data, dims);
    } else if (feed.elementType === "int64") {
      const data = new BigInt64Array(n * k);
      columns.forEach((column, j) => {
        for (let i = start; i < end; i++) {
          const v = column.nulls[i] ? Number.NaN : (column.values[i] as number);
          if (!Number.isInteger(v)) throw int64Problem(feed, j, batch, i, v, manifestFile);
          data[(i - start) * k + j] = BigInt(v);
        }
      });
      feeds[feed.input] = new ort.Tensor("int64", data, dims);
    } else {
      const data = feed.elementType === "float32" ? new Float32Array(n * k) : new Float64Array(n * k);
      columns.forEach((column, j) => {
        const { values, nulls } = column as { values: Float64Array | Uint8Array; nulls: Uint8Array };
        for (let i = start; i < end; i++) data[(i - start) * k + j] = nulls[i] ? Number.NaN : values[i]!;
      });
      feeds[feed.input] = new ort.Tensor(feed.elementType, data, dims);
    }
  }
  return feeds;
}

function int64Problem(
  feed: InputFeed,
  j: number,
  batch: Batch,
  i: number,
  v: number,
  file: string,
): UserError {
  const column = feed.columns[j]!;
  const row = batch.firstRow + i;
  if (Number.isNaN(v)) {
    return new UserError(
      `column "${column}" is null at row ${row} of ${batch.source}, and the model input ${feed.input} is int64, which cannot hold a missing value`,
      {
        file,
        field: feed.field,
        fix: `impute "${column}" before scoring, or declare it \`nullable: false\` under data.columns so validate-data rejects such rows`,
      },
    );
  }
  return new UserError(
    `column "${column}" holds ${v} at row ${row} of ${batch.source}, and the model input ${feed.input} is int64`,
    { file, field: feed.field, fix: `round "${column}" in the data, or export the model with a float input` },
  );
}
