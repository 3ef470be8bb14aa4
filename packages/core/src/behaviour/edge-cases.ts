import type { DataContract } from "../manifest/schema.js";
import type { BehaviourSpec } from "../manifest/schema-behaviour.js";
import type { Batch, ColumnKind } from "../table/column.js";
import type { BehaviourExample, BehaviourMeasure, CellValue } from "./behaviour-result.js";
import { MAX_EXAMPLES } from "./behaviour-result.js";
import { everyCase } from "./measure.js";
import { component, headlineScore, isValidPrediction, type Predictions } from "./predictions.js";
import { repeatBatch, rowValues, setCell } from "./probe-batch.js";

/** A category value no contract lists, for the unseen-category probe. */
export const UNSEEN_CATEGORY = "__gauntlet_unseen__";

/** One generated edge value, set on the first rows of the sample. */
export interface EdgeCase {
  column: string;
  /** What the value is: `null`, `min`, `max`, `below min`, `above max`, `unseen category`, `empty string`. */
  label: string;
  value: CellValue;
  /** Whether the contract allows the value (a crash on an allowed value always fails). */
  allowed: boolean;
  batch: Batch;
}

/**
 * `behaviour.edge-cases` as an object (`true` means the defaults), or `null` when off.
 *
 * @example
 * edgeCaseOptions(true); // { refuse: [], rows: 20 }
 */
export function edgeCaseOptions(
  spec: BehaviourSpec["edge-cases"],
): { refuse: string[]; rows: number } | null {
  if (spec === false) return null;
  return spec === true ? { refuse: [], rows: 20 } : spec;
}

/**
 * The edge values of each model input, from the data contract: null (allowed when the column is
 * nullable), a number column's `min` and `max` and values just outside them (1% of the range, or
 * 1 without both ends), and for a category an unseen value and the empty string. Each is set on
 * the first `rows` rows of the sample, as its own batch, so a crash is pinned to one value.
 *
 * @example
 * edgeCases(sample, ["age", "region"], kinds, contract, 20).map((e) => `${e.column} ${e.label}`);
 * // ["age null", "age min", "age max", "age below min", "age above max", "region null", "region unseen category", "region empty string"]
 */
export function edgeCases(
  sample: Batch,
  columns: readonly string[],
  kinds: ReadonlyMap<string, ColumnKind>,
  contract: DataContract | undefined,
  rows: number,
): EdgeCase[] {
  const head = { ...sample, length: Math.min(rows, sample.length) };
  const out: EdgeCase[] = [];
  const add = (column: string, label: string, value: CellValue, allowed: boolean) => {
    const batch = repeatBatch(head, 1);
    const target = batch.columns.get(column)!;
    for (let r = 0; r < batch.length; r++) setCell(target, r, value);
    out.push({ column, label, value, allowed, batch });
  };
  for (const column of columns) {
    const declared = contract?.columns[column];
    const kind = declared?.type ?? kinds.get(column);
    if (!sample.columns.has(column) || kind === undefined) continue;
    add(column, "null", null, declared ? declared.nullable : true);
    if (declared?.type === "number") {
      const { min, max } = declared;
      const step = min !== undefined && max !== undefined && max > min ? (max - min) / 100 : 1;
      if (min !== undefined) add(column, "min", min, true);
      if (max !== undefined) add(column, "max", max, true);
      if (min !== undefined) add(column, "below min", min - step, false);
      if (max !== undefined) add(column, "above max", max + step, false);
    }
    if (kind === "category") {
      const listed = declared?.type === "category" ? declared.values?.map(String) : undefined;
      add(column, "unseen category", UNSEEN_CATEGORY, listed === undefined);
      add(column, "empty string", "", listed === undefined || listed.includes(""));
    }
  }
  return out;
}

/** What scoring one edge case gave: the scores, or the error the model (or its feeding) threw. */
export type EdgeOutcome = { scores: Predictions } | { error: string };

/**
 * Judges edge cases: a crash fails unless the value is outside the contract and its column is in
 * `refuse` (a documented refusal); a prediction that is not a finite number (for classifiers:
 * probabilities in [0, 1]) always fails.
 * The value is the number of failing edge values; none may fail.
 *
 * @example
 * judgeEdgeCases(cases, outcomes, [], columns).reason;
 * // "1 of 12 edge values fail: support_calls null crashes the model"
 */
export function judgeEdgeCases(
  cases: readonly EdgeCase[],
  outcomes: readonly EdgeOutcome[],
  refuse: readonly string[],
  columns: readonly string[],
): BehaviourMeasure {
  const failing: BehaviourExample[] = [];
  const names: string[] = [];
  let refused = 0;
  cases.forEach((edge, i) => {
    const outcome = outcomes[i]!;
    const what = `${edge.column} ${edge.label}`;
    const inputs = () => rowValues(edge.batch, 0, columns);
    if ("error" in outcome) {
      if (!edge.allowed && refuse.includes(edge.column)) {
        refused++;
        return;
      }
      names.push(`${what} crashes the model`);
      failing.push({ inputs: inputs(), score: null, note: `${what}: ${outcome.error}` });
      return;
    }
    const p = outcome.scores;
    let bad = -1;
    for (let r = 0; r < p.rows && bad < 0; r++) if (!isValidPrediction(p, r)) bad = r;
    if (bad >= 0) {
      const shown = Array.from({ length: p.width }, (_, k) => String(component(p, bad, k))).join(", ");
      const want = p.task === "regression" ? "a finite number" : "probabilities in [0, 1]";
      names.push(`${what} gives ${shown}`);
      failing.push({
        inputs: rowValues(edge.batch, bad, columns),
        score: headlineScore(p, bad),
        note: `${what}: the prediction is ${shown}, not ${want}`,
      });
    }
  });
  const tail = refused > 0 ? ` (${refused} documented refusals)` : "";
  return everyCase(
    cases.length,
    failing.length,
    {
      none: "no model input has a contract or a sampled column to draw edge values from",
      pass: `all ${cases.length} edge values give valid predictions${tail}`,
      fail: `${failing.length} of ${cases.length} edge values fail: ${names.slice(0, 3).join("; ")}${names.length > 3 ? "; …" : ""}${tail}`,
    },
    failing.slice(0, MAX_EXAMPLES),
  );
}
