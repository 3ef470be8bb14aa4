import { type Column, type Task, UserError } from "@gauntlet/core";
import { cellText } from "./column-collector.js";

/** Where a label problem is reported. */
export interface LabelContext {
  task: Task;
  /** `artefact.classes` (classification). */
  classes?: readonly (string | number)[];
  /** Index of `artefact.positive` in `classes` (binary). */
  positiveIndex?: number;
  /** `evaluation.label`. */
  column: string;
  manifestFile: string;
  /** Raw text of cells that did not parse as the column's kind (a `yes` in a numeric column), by row. */
  rawText?: ReadonlyMap<number, string>;
}

const SHOWN = 5;

/**
 * Turns a label column into what the metrics take: for a binary model 1 for the positive class
 * and 0 for the other, for a multiclass model the index in `artefact.classes`, for regression the
 * number itself. Classes match by their text (`1` and `"1"` are the same class), so a label column
 * read as numbers or as categories both work. Missing labels and labels outside the classes are one
 * {@link UserError} naming the column, a few bad values and how many rows have them.
 *
 * @example
 * const labels = encodeLabels(churned, { task: "binary", classes: [0, 1], positiveIndex: 1, column: "churned", manifestFile });
 * // Float64Array [0, 1, 0, ...]
 */
export function encodeLabels(column: Column, context: LabelContext): Float64Array {
  const rows = column.nulls.length;
  const out = new Float64Array(rows);
  const bad = new Map<string, number>();
  let badRows = 0;
  const reject = (text: string) => {
    badRows++;
    if (bad.size < SHOWN || bad.has(text)) bad.set(text, (bad.get(text) ?? 0) + 1);
  };
  if (context.task === "regression") {
    if (column.kind !== "number") throw notNumeric(column, context);
    for (let i = 0; i < rows; i++) {
      const v = column.values[i]!;
      if (column.nulls[i] || !Number.isFinite(v))
        reject(column.nulls[i] ? (context.rawText?.get(i) ?? "(missing)") : String(v));
      else out[i] = v;
    }
  } else {
    const classes = context.classes ?? [];
    const index = new Map(classes.map((c, i) => [String(c), i]));
    for (let i = 0; i < rows; i++) {
      const text = cellText(column, i) ?? context.rawText?.get(i);
      const at = text === undefined ? undefined : index.get(text);
      if (at === undefined) reject(text ?? "(missing)");
      else out[i] = context.task === "binary" ? (at === context.positiveIndex ? 1 : 0) : at;
    }
  }
  if (badRows > 0) throw badLabels(bad, badRows, rows, context);
  return out;
}

function badLabels(
  bad: Map<string, number>,
  badRows: number,
  rows: number,
  context: LabelContext,
): UserError {
  const values = [...bad].map(([text, n]) => `${JSON.stringify(text)} (${n} rows)`).join(", ");
  const expected =
    context.task === "regression"
      ? "finite numbers"
      : `one of artefact.classes ${JSON.stringify(context.classes ?? [])}`;
  return new UserError(
    `the label column "${context.column}" has ${badRows} of ${rows} rows that are not ${expected}: ${values}`,
    {
      file: context.manifestFile,
      field: "evaluation.label",
      fix:
        context.task === "regression"
          ? "fill or drop rows with missing targets before evaluating"
          : "drop rows without a label, or list every class the labels use under artefact.classes (in the model's output order)",
    },
  );
}

function notNumeric(column: Column, context: LabelContext): UserError {
  return new UserError(
    `the label column "${context.column}" is read as ${column.kind}, but a regression target must be numeric`,
    {
      file: context.manifestFile,
      field: "evaluation.label",
      fix: "point evaluation.label at the numeric target column, or declare it `type: number` under data.columns",
    },
  );
}
