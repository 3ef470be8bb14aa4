import { UserError } from "../errors/user-error.js";
import type { EvaluationRows, EvaluationSpec } from "./evaluation-state.js";

/**
 * Checks a batch before it touches a state: baseline scores present exactly when the spec says
 * so, one score per label, probabilities in [0, 1] (the fixed-point sums need bounded terms) and
 * 0/1 labels. Bad data is a `UserError` whose row number counts the `before` rows already added.
 *
 * @example
 * checkBatch({ task: "binary", specs: [] }, 0, { labels: [2], scores: [0.5], sliceColumns: new Map() });
 * // throws UserError: label at row 1 is 2, expected 0 or 1 (the positive class)
 */
export function checkBatch(spec: Readonly<EvaluationSpec>, before: number, batch: EvaluationRows): void {
  const n = batch.labels.length;
  const where = (field: string, fix: string) => ({
    ...(spec.file ? { file: spec.file } : {}),
    field,
    fix,
  });
  if (Boolean(batch.baselineScores) !== Boolean(spec.baseline)) {
    throw new RangeError(`baseline scores ${spec.baseline ? "missing" : "given"} (spec.baseline)`);
  }
  for (const [name, scores] of [
    ["candidate", batch.scores],
    ["baseline", batch.baselineScores],
  ] as const) {
    if (!scores) continue;
    if (scores.length !== n) throw new RangeError(`${name}: expected ${n} scores, got ${scores.length}`);
    for (let i = 0; i < n; i++) {
      if (scores[i]! >= 0 && scores[i]! <= 1) continue;
      throw new UserError(
        `the ${name} model produced ${scores[i]} at row ${before + i + 1}, not a probability`,
        where("artefact.outputs", "map the model's probability output, or check its inputs for that row"),
      );
    }
  }
  for (let i = 0; i < n; i++) {
    if (batch.labels[i] === 0 || batch.labels[i] === 1) continue;
    throw new UserError(
      `label at row ${before + i + 1} is ${batch.labels[i]}, expected 0 or 1 (the positive class)`,
      where("evaluation.label", "fill or drop rows with missing or unknown labels"),
    );
  }
}
