import { type Column, cellValueText, type Task, UserError } from "@gauntlet/core";

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

/** Encodes a label column batch by batch; see {@link labelEncoder}. */
export interface LabelEncoder {
  /**
   * Encodes `rows` labels of `column` (all missing when the batch lacks it) into `out`; a bad
   * label is left 0 and counted. `rawText` is by row of this batch.
   */
  encode(
    column: Column | undefined,
    rows: number,
    out: Float64Array | Uint8Array,
    rawText?: ReadonlyMap<number, string>,
  ): void;
  /** Throws the one {@link UserError} for every bad label seen so far, if any. */
  check(): void;
}

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
  const encoder = labelEncoder(context);
  encoder.encode(column, rows, out, context.rawText);
  encoder.check();
  return out;
}

/**
 * {@link encodeLabels} over a stream of batches: the same labels, and the same one error naming
 * the first few bad values and how many of all rows have them, once `check` is called at the end.
 *
 * @example
 * const encoder = labelEncoder({ task: "binary", classes: [0, 1], positiveIndex: 1, column: "churned", manifestFile });
 * encoder.encode(batch.columns.get("churned"), batch.length, labels); // Uint8Array [0, 1, …]
 * encoder.check(); // throws when some label was missing or not a class
 */
export function labelEncoder(context: Omit<LabelContext, "rawText">): LabelEncoder {
  const bad = new Map<string, number>();
  let badRows = 0;
  let total = 0;
  const reject = (text: string) => {
    badRows++;
    if (bad.size < SHOWN || bad.has(text)) bad.set(text, (bad.get(text) ?? 0) + 1);
  };
  const index = new Map((context.classes ?? []).map((c, i) => [String(c), i]));
  return {
    encode(column, rows, out, rawText) {
      total += rows;
      if (context.task === "regression") {
        if (column && column.kind !== "number") throw notNumeric(column, context);
        for (let i = 0; i < rows; i++) {
          const v = column ? column.values[i]! : Number.NaN;
          if (!column || column.nulls[i] || !Number.isFinite(v))
            reject(!column || column.nulls[i] ? (rawText?.get(i) ?? "(missing)") : String(v));
          else out[i] = v as number;
        }
        return;
      }
      for (let i = 0; i < rows; i++) {
        const text = (column ? cellValueText(column, i) : undefined) ?? rawText?.get(i);
        const at = text === undefined ? undefined : index.get(text);
        if (at === undefined) reject(text ?? "(missing)");
        else out[i] = context.task === "binary" ? (at === context.positiveIndex ? 1 : 0) : at;
      }
    },
    check() {
      if (badRows > 0) throw badLabels(bad, badRows, total, context);
    },
  };
}

function badLabels(
  bad: Map<string, number>,
  badRows: number,
  rows: number,
  context: Omit<LabelContext, "rawText">,
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

function notNumeric(column: Column, context: Omit<LabelContext, "rawText">): UserError {
  return new UserError(
    `the label column "${context.column}" is read as ${column.kind}, but a regression target must be numeric`,
    {
      file: context.manifestFile,
      field: "evaluation.label",
      fix: "point evaluation.label at the numeric target column, or declare it `type: number` under data.columns",
    },
  );
}
