import { UserError } from "../errors/user-error.js";
import type { Batch } from "../table/column.js";
import type { BehaviourMeasure, BehaviourTask } from "./behaviour-result.js";
import { everyCase, scoreText, worstExamples } from "./measure.js";
import { decision, headlineScore, isValidPrediction, type Predictions } from "./predictions.js";
import { cellValue, rowValues } from "./probe-batch.js";

/** The columns of a known-cases file other than the model's inputs. */
export interface CaseColumns {
  expected: string;
  minScore: string;
  maxScore: string;
  id?: string | undefined;
}

/** One known case: what the model should say about row `row` of the file. */
export interface KnownCase {
  /** Name in the report: the `id` column's value, else `row <n>`. */
  id: string;
  /** 0-based row in the cases batch. */
  row: number;
  expected: string | null;
  min: number | null;
  max: number | null;
}

/** Where the cases are, named in errors. */
export interface CasesOrigin {
  manifest: string;
  path: string;
}

/**
 * Reads the expectations of a known-cases file and checks it against the model: every model input
 * column must be in the file, the file must hold an expected class or a score range, and each
 * expected class must be one of `classes`. Each mistake is a {@link UserError} naming the file, the
 * column (and row), and the fix.
 *
 * @example
 * readKnownCases(batch, { expected: "expected", minScore: "min_score", maxScore: "max_score" }, ["0", "1"], modelColumns, origin);
 * // [{ id: "row 1", row: 0, expected: "1", min: null, max: null }, ...]
 */
export function readKnownCases(
  batch: Batch,
  columns: CaseColumns,
  classes: readonly string[],
  modelColumns: readonly string[],
  origin: CasesOrigin,
  task: BehaviourTask = "binary",
): KnownCase[] {
  const regression = task === "regression";
  const missing = modelColumns.filter((c) => !batch.columns.has(c));
  if (missing.length > 0) {
    throw new UserError(
      `the known-cases file has no column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}, which the model reads`,
      {
        file: origin.path,
        field: missing[0]!,
        fix: `give every case the model's inputs (${modelColumns.join(", ")}), named as in the data; set with behaviour.cases in ${origin.manifest}`,
      },
    );
  }
  const expected = batch.columns.get(columns.expected);
  const min = batch.columns.get(columns.minScore);
  const max = batch.columns.get(columns.maxScore);
  if (!expected && !min && !max) {
    throw new UserError("the known-cases file holds no expectation", {
      file: origin.path,
      field: columns.expected,
      fix: `add a column ${columns.expected} (the expected class, one of ${classes.join(", ")}) or ${columns.minScore}/${columns.maxScore} (a score range)`,
    });
  }
  const ids = columns.id ? batch.columns.get(columns.id) : undefined;
  const number = (column: typeof min, r: number, name: string) => {
    if (!column) return null;
    const v = cellValue(column, r);
    if (v === null || v === "") return null;
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isFinite(n) || (!regression && (n < 0 || n > 1))) {
      throw new UserError(
        `${JSON.stringify(v)} is not ${regression ? "a number" : "a score between 0 and 1"} (row ${r + 1})`,
        {
          file: origin.path,
          field: name,
          fix: `write ${regression ? "a predicted value's bound" : "a number in [0, 1]"}, or leave the cell empty`,
        },
      );
    }
    return n;
  };
  const cases: KnownCase[] = [];
  for (let r = 0; r < batch.length; r++) {
    const label = expected ? cellValue(expected, r) : null;
    const text = label === null || label === "" ? null : String(label);
    if (text !== null && regression) {
      throw new UserError(`a regressor's case has no expected class (row ${r + 1})`, {
        file: origin.path,
        field: columns.expected,
        fix: `leave ${columns.expected} empty and bound the predicted value with ${columns.minScore}/${columns.maxScore}`,
      });
    }
    if (text !== null && !classes.includes(text)) {
      throw new UserError(
        `expected class ${JSON.stringify(text)} (row ${r + 1}) is not one of the model's classes`,
        {
          file: origin.path,
          field: columns.expected,
          fix: `use one of artefact.classes: ${classes.join(", ")}`,
        },
      );
    }
    const lo = number(min, r, columns.minScore);
    const hi = number(max, r, columns.maxScore);
    if (text === null && lo === null && hi === null) {
      throw new UserError(`case at row ${r + 1} expects nothing`, {
        file: origin.path,
        field: columns.expected,
        fix: `fill ${columns.expected}, or ${columns.minScore}/${columns.maxScore}, on every row`,
      });
    }
    const id = ids ? cellValue(ids, r) : null;
    cases.push({ id: id === null ? `row ${r + 1}` : String(id), row: r, expected: text, min: lo, max: hi });
  }
  return cases;
}

/**
 * Judges known cases: a case fails when the decided class (binary: at `threshold`; multiclass: the
 * most probable) is not its expected class, or its score is outside `[min, max]`, or it is not a
 * number. The score is the positive-class score (binary), the decided class's probability
 * (multiclass) or the predicted value (regression). The value is the number of failing cases; none
 * may fail. Every failure is listed with its inputs (up to the report's limit).
 *
 * @example
 * judgeKnownCases(batch, cases, scores, { threshold: 0.5, classes: ["0", "1"], positive: "1" }, columns).reason;
 * // "2 of 12 known cases fail"
 */
export function judgeKnownCases(
  batch: Batch,
  cases: readonly KnownCase[],
  scores: Predictions,
  decided: { threshold: number; classes: readonly string[]; positive: string },
  columns: readonly string[],
): BehaviourMeasure {
  const negative = decided.classes.find((c) => c !== decided.positive) ?? "";
  const notes = new Map<number, string>();
  const failing: number[] = [];
  const className = (r: number) => {
    const d = decision(scores, r, decided.threshold);
    if (scores.task === "binary") return d === 1 ? decided.positive : negative;
    return decided.classes[d!] ?? String(d);
  };
  cases.forEach((c, i) => {
    const s = headlineScore(scores, c.row);
    const problems: string[] = [];
    if (s === null || !(scores.task === "regression" || isValidPrediction(scores, c.row)))
      problems.push("the score is not a number");
    else {
      const predicted = className(c.row);
      if (c.expected !== null && predicted !== c.expected)
        problems.push(`predicted ${predicted}, expected ${c.expected}`);
      if (c.min !== null && s < c.min) problems.push(`score below ${c.min}`);
      if (c.max !== null && s > c.max) problems.push(`score above ${c.max}`);
    }
    if (problems.length > 0) {
      failing.push(i);
      notes.set(i, `${c.id}: score ${scoreText(s)}; ${problems.join(", ")}`);
    }
  });
  return everyCase(
    cases.length,
    failing.length,
    {
      none: "the known-cases file has no rows",
      pass: `all ${cases.length} known cases pass`,
      fail: `${failing.length} of ${cases.length} known cases fail (first: ${notes.get(failing[0]!)})`,
    },
    worstExamples(
      failing,
      (i) => -i,
      (i) => ({
        inputs: rowValues(batch, cases[i]!.row, columns),
        score: headlineScore(scores, cases[i]!.row),
        note: notes.get(i)!,
      }),
    ),
  );
}
