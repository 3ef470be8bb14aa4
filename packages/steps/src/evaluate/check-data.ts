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
import { readTable, readTableSchema } from "@gauntlet/data";
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
}

/**
 * Reads the evaluation data's columns and kinds, and fails early — before any model is loaded —
 * when it has no rows (a header alone reads as all-text columns, which would otherwise surface as
 * a confusing signature mismatch), lacks the label column, lacks a slice column, or has a slice
 * spec that cannot apply to its column (bins on text): mistakes found here, and not at the first
 * batch of a streamed evaluation, once the models have loaded.
 *
 * @example
 * const columns = await checkEvaluationData({ data: "data/eval.csv", cwd, evaluation, manifestFile });
 * columns.get("tenure_months"); // "number"
 */
export async function checkEvaluationData(options: CheckDataOptions): Promise<Map<string, ColumnKind>> {
  const { data, evaluation, manifestFile: file } = options;
  const read = {
    cwd: options.cwd,
    origin: { file, field: options.fromInput ? inputRef("data") : "evaluation.data" },
    ...(options.kinds ? { kinds: options.kinds } : {}),
  };
  const first = readTable(data, { ...read, columns: [evaluation.label], batchSize: 1 });
  const peeked = await first.next();
  await first.return(undefined);
  if (peeked.done) {
    throw new UserError(`the evaluation data ${noRows(data)}`, {
      file,
      field: "evaluation.data",
      fix: `point evaluation.data (or ${inputRef("data")}) at a file with rows; a header alone cannot be evaluated`,
    });
  }
  const columns = new Map((await readTableSchema(data, read)).map((c) => [c.name, c.kind]));
  const known = [...columns.keys()].slice(0, 30).join(", ");
  if (!columns.has(evaluation.label)) {
    throw new UserError(
      `the label column "${evaluation.label}" is not in ${data}; its columns are ${known}`,
      {
        file,
        field: "evaluation.label",
        fix:
          dottedNameFix(evaluation.label, columns.keys()) ??
          "set evaluation.label to the column that holds the true label (or target value)",
      },
    );
  }
  evaluation.slices.forEach((spec, i) => {
    for (const column of specColumns(spec)) {
      if (columns.has(column)) continue;
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
  });
  return columns;
}

function emptyColumn(kind: ColumnKind): Column {
  const nulls = new Uint8Array(0);
  if (kind === "category") return { kind, values: [], nulls };
  if (kind === "boolean") return { kind, values: new Uint8Array(0), nulls };
  return { kind, values: new Float64Array(0), nulls };
}
