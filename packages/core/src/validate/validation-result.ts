import type { Check } from "../results/check.js";
import type { ColumnKind } from "../table/column.js";

/** The `schema` tag of `validation.json`. */
export const VALIDATION_SCHEMA = "gauntlet/validation@1";

/**
 * A compact profile of one column, measured over every row read. `min`/`max`/`mean` are over
 * non-null finite values of number and timestamp columns (timestamps in ms since the epoch);
 * for boolean columns `mean` is the share of `true`; for category columns they are `null`, as
 * they are for a column with no such values.
 */
export interface ColumnProfile {
  kind: ColumnKind;
  /** Rows of the files that have this column. */
  rows: number;
  /** Missing values (cells that could not be parsed are counted in `invalid` instead). */
  nulls: number;
  /** Cells that could not be parsed as `kind`. */
  invalid: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Distinct non-null values, counted up to a cap; `distinctCapped` says the cap was hit. */
  distinct: number;
  distinctCapped: boolean;
}

/**
 * The content of `validation.json`: what `validate-data` checked against the manifest's `data:`
 * contract and what it found. `status` is the worst check status (`skip` counts as `pass`).
 *
 * @example
 * const result: ValidationResult = validator.finish();
 * result.status; // "fail"
 * result.summary; // { pass: 18, warn: 1, fail: 2, skip: 0 }
 */
export interface ValidationResult {
  schema: typeof VALIDATION_SCHEMA;
  /** The model whose contract was checked (filled from the validator's options). */
  model: { name: string; version: string };
  /** The files read, in order; `rows` over all of them; `columns` distinct column names seen. */
  data: { files: string[]; rows: number; columns: number };
  status: "pass" | "warn" | "fail";
  checks: Check[];
  summary: { pass: number; warn: number; fail: number; skip: number };
  /** Profile of every column seen, declared or not, in first-seen order. */
  columns: Record<string, ColumnProfile>;
}
