import { UserError } from "@gauntlet/core";

/** A row whose score was not a usable number. */
export interface BadScore {
  source: string;
  /** 1-based data row within `source`. */
  row: number;
  /** The first offending value in the row (`NaN`, `Infinity`, `1.7`, …). */
  value: number;
}

/**
 * What the model's scores looked like, so a caller can fail with a clear message instead of
 * computing metrics over garbage. For probabilities a row is counted when any class is NaN, or
 * (otherwise) outside [0, 1]; for regression values when the value is NaN, or (otherwise) infinite.
 */
export interface ScoreHealth {
  /** The output checked (`probabilities` or `value` output name); `""` when only labels were read. */
  output: string;
  /** What the output holds: probabilities are held to [0, 1], values only to being finite. */
  role: "probabilities" | "value" | "label";
  rows: number;
  nanCount: number;
  outOfRangeCount: number;
  /** The first few bad rows, in scoring order. */
  firstRows: BadScore[];
}

/**
 * How many bad rows a {@link ScoreHealth} keeps as examples.
 *
 * @example
 * health.firstRows.length <= MAX_BAD_ROWS; // true
 */
export const MAX_BAD_ROWS = 5;
/**
 * float32 softmax and sigmoid may overshoot [0, 1] by a rounding error; that is not a defect.
 *
 * @example
 * 1.0000001 <= 1 + PROBABILITY_TOLERANCE; // true: counted as in range
 */
export const PROBABILITY_TOLERANCE = 1e-6;

/**
 * A health record with nothing counted yet.
 *
 * @example
 * emptyHealth("probabilities", "probabilities"); // { output: "probabilities", role: "probabilities", rows: 0, nanCount: 0, … }
 */
export function emptyHealth(output: string, role: ScoreHealth["role"]): ScoreHealth {
  return { output, role, rows: 0, nanCount: 0, outOfRangeCount: 0, firstRows: [] };
}

/**
 * Adds `next` into `total` (in place) and returns `total`; used to sum health across batches.
 *
 * @example
 * const total = emptyHealth("probabilities", "probabilities");
 * for await (const scored of scoreBatches(model, mapping, batches)) mergeHealth(total, scored.scores.health);
 */
export function mergeHealth(total: ScoreHealth, next: ScoreHealth): ScoreHealth {
  total.rows += next.rows;
  total.nanCount += next.nanCount;
  total.outOfRangeCount += next.outOfRangeCount;
  for (const bad of next.firstRows) if (total.firstRows.length < MAX_BAD_ROWS) total.firstRows.push(bad);
  return total;
}

/**
 * The {@link UserError} a caller throws when the model produced unusable scores, or `undefined`
 * when every score is usable.
 *
 * @example
 * const error = healthError(health, "models/churn/model.yml");
 * // UserError "models/churn/model.yml: artefact.outputs.probabilities: the model output probabilities
 * //   gave NaN on 12 of 5000 rows (first: data/eval.csv row 17 = NaN). Fix: …"
 */
export function healthError(health: ScoreHealth, manifestFile: string): UserError | undefined {
  if (health.nanCount === 0 && health.outOfRangeCount === 0) return undefined;
  const range = health.role === "probabilities" ? "values outside [0, 1]" : "infinite values";
  const parts = [
    health.nanCount > 0 ? `NaN on ${health.nanCount}` : "",
    health.outOfRangeCount > 0 ? `${range} on ${health.outOfRangeCount}` : "",
  ].filter(Boolean);
  const first = health.firstRows.map((b) => `${b.source} row ${b.row} = ${b.value}`).join("; ");
  const fixes = [
    health.nanCount > 0
      ? "NaN usually means missing values reach a model that does not impute them: add an imputer to the exported pipeline or impute the data"
      : "",
    health.outOfRangeCount > 0 && health.role === "probabilities"
      ? "values outside [0, 1] mean the output holds raw scores: name the probabilities output, or export with the sigmoid/softmax"
      : "",
    health.outOfRangeCount > 0 && health.role === "value"
      ? "check the model for overflow on extreme inputs"
      : "",
  ].filter(Boolean);
  return new UserError(
    `the model output ${health.output} gave ${parts.join(" and ")} of ${health.rows} rows (first: ${first})`,
    { file: manifestFile, field: `artefact.outputs.${health.role}`, fix: fixes.join("; ") },
  );
}
