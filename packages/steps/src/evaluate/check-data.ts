import {
  type Column,
  type ColumnKind,
  dottedNameFix,
  inputRef,
  type Manifest,
  resolveSpec,
  specColumns,
  UserError,
} from "@gauntlet/core";
import { readTableSchema, readTableShape } from "@gauntlet/data";
import { noRows } from "../no-rows.js";

/** Where the evaluation data is and how to read it. */
export interface CheckDataOptions {
  data: string;
  cwd: string;
  kinds?: Record<string, ColumnKind> | undefined;
  evaluation: NonNullable<Manifest["evaluation"]>;
  manifestFile: string;
  /** `data` came from the `data` input rather than `evaluation.data` (named in path errors). */
  fromInput?: boolean;
  /**
   * Projection: learn the kinds of only these columns (the label and slice columns are added).
   * A table of thousands of columns is then never inferred whole; the others are listed only
   * when a column is missing. Default: every column.
   */
  columns?: readonly string[] | undefined;
}

/**
 * Reads the evaluation data's columns and kinds, and fails early — before any model is loaded —
 * when it has no rows (a header alone reads as all-text columns, which would otherwise surface as
 * a confusing signature mismatch), lacks the label column, lacks a slice column, or has a slice
 * spec that cannot apply to its column (bins on text): mistakes found here, and not at the first
 * batch of a streamed evaluation, once the models have loaded.
 *
 * @example
 * const columns = await checkEvaluationData({ data: "data/eval.csv", cwd, evaluation, manifestFile,
 *   columns: ["tenure_months", "region"] });
 * columns.get("tenure_months"); // "number"
 */
export async function checkEvaluationData(options: CheckDataOptions): Promise<Map<string, ColumnKind>> {
  const { data, evaluation, manifestFile: file } = options;
  const read = {
    cwd: options.cwd,
    origin: { file, field: options.fromInput ? inputRef("data") : "evaluation.data" },
    ...(options.kinds ? { kinds: options.kinds } : {}),
  };
  const sliceColumns = evaluation.slices.flatMap((spec) => specColumns(spec));
  const weight = evaluation.weight === undefined ? [] : [evaluation.weight];
  const projection = options.columns && [
    ...new Set([evaluation.label, ...sliceColumns, ...weight, ...options.columns]),
  ];
  const shape = await readTableShape(data, { ...read, ...(projection ? { columns: projection } : {}) });
  if (shape.empty) {
    throw new UserError(`the evaluation data ${noRows(data)}`, {
      file,
      field: "evaluation.data",
      fix: `point evaluation.data (or ${inputRef("data")}) at a file with rows; a header alone cannot be evaluated`,
    });
  }
  const columns = new Map(shape.schema.map((c) => [c.name, c.kind]));
  // Every column's name, read only to explain a missing one.
  const everyColumn = async (): Promise<string[]> =>
    projection ? (await readTableSchema(data, read)).map((c) => c.name) : [...columns.keys()];
  if (!columns.has(evaluation.label)) {
    const names = await everyColumn();
    const known = names.slice(0, 30).join(", ");
    throw new UserError(
      `the label column "${evaluation.label}" is not in ${data}; its columns are ${known}`,
      {
        file,
        field: "evaluation.label",
        fix:
          dottedNameFix(evaluation.label, names) ??
          "set evaluation.label to the column that holds the true label (or target value)",
      },
    );
  }
  if (evaluation.weight !== undefined && !columns.has(evaluation.weight)) {
    const names = await everyColumn();
    throw new UserError(
      `the weight column "${evaluation.weight}" is not in ${data}; its columns are ${names.slice(0, 30).join(", ")}`,
      {
        file,
        field: "evaluation.weight",
        fix:
          dottedNameFix(evaluation.weight, names) ??
          "set evaluation.weight to the column that holds each row's weight, or remove it to weigh every row 1",
      },
    );
  }
  for (const [i, spec] of evaluation.slices.entries()) {
    for (const column of specColumns(spec)) {
      if (columns.has(column)) continue;
      const known = (await everyColumn()).slice(0, 30).join(", ");
      throw new UserError(`the slice column "${column}" is not in ${data}; its columns are ${known}`, {
        file,
        field: `evaluation.slices[${i}]`,
        fix: "slice by columns the evaluation data has",
      });
    }
    // The kinds alone decide whether a spec applies; zero rows are enough for `resolveSpec`.
    const empty = new Map(
      specColumns(spec).map((name): [string, Column] => [name, emptyColumn(columns.get(name)!)]),
    );
    resolveSpec(empty, spec, i, file);
  }
  return columns;
}

function emptyColumn(kind: ColumnKind): Column {
  const nulls = new Uint8Array(0);
  if (kind === "category") return { kind, values: [], nulls };
  if (kind === "boolean") return { kind, values: new Uint8Array(0), nulls };
  return { kind, values: new Float64Array(0), nulls };
}
