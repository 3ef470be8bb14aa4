import { UserError } from "../errors/user-error.js";
import { missingOperatingParameter } from "../metrics/operating-metrics.js";
import { METRICS } from "../metrics/registry.js";
import type { EvaluateInput } from "./evaluate.js";

/** What {@link checkInput} reads of `evaluate`'s input. */
export type CheckedInput = Pick<
  EvaluateInput,
  "task" | "scores" | "baselineScores" | "rowIds" | "weights" | "metrics" | "file" | "operating"
> & {
  labels: Float64Array | Uint8Array;
};

/**
 * Rejects what `evaluate` cannot score: array lengths that disagree and sample weights that are
 * negative or not finite (bugs here, `RangeError`: the step that reads the weight column names the
 * user's bad cell), and non-finite scores, metrics of another task and labels outside the task's
 * classes (the user's data or manifest, `UserError` naming the field and the fix).
 *
 * @example
 * checkInput({ ...input, labels: Float64Array.of(2) }, 1, 2);
 * // throws UserError: label at row 1 is 2, expected 0 or 1 (the positive class)
 */
export function checkInput(input: CheckedInput, rows: number, classes: number): void {
  const where = (field: string, fix: string) => ({ ...(input.file ? { file: input.file } : {}), field, fix });
  const width = input.task === "multiclass" ? classes : 1;
  for (const [name, scores] of [
    ["candidate", input.scores],
    ["baseline", input.baselineScores],
  ] as const) {
    if (!scores) continue;
    if (scores.length !== rows * width)
      throw new RangeError(`${name}: expected ${rows * width} scores, got ${scores.length}`);
    const bad = scores.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new UserError(
        `the ${name} model produced a non-finite score at row ${Math.floor(bad / width) + 1}`,
        where("artefact.outputs", "check the model's output mapping and its inputs for that row"),
      );
    }
  }
  if (input.rowIds.length !== rows)
    throw new RangeError(`expected ${rows} row ids, got ${input.rowIds.length}`);
  if (input.weights) {
    // The caller turns a bad weight cell into the user's error naming the column; here it is a bug.
    if (input.weights.length !== rows)
      throw new RangeError(`expected ${rows} weights, got ${input.weights.length}`);
    const bad = input.weights.findIndex((w) => !(w >= 0 && Number.isFinite(w)));
    if (bad >= 0)
      throw new RangeError(
        `weight at row ${bad + 1} is ${input.weights[bad]}: weights must be finite and ≥ 0`,
      );
  }
  for (const name of input.metrics) {
    if (!METRICS[name].tasks.includes(input.task)) {
      throw new UserError(
        `${name} is not a ${input.task} metric`,
        where("evaluation.metrics", `remove ${name}`),
      );
    }
  }
  const missing = missingOperatingParameter(input.metrics, input.operating ?? {});
  if (missing) {
    throw new UserError(
      `${missing.metric} needs ${missing.field}`,
      where(
        missing.field,
        `set it, e.g. ${missing.example}, or remove ${missing.metric} from evaluation.metrics`,
      ),
    );
  }
  const ok =
    input.task === "binary"
      ? (v: number) => v === 0 || v === 1
      : input.task === "multiclass"
        ? (v: number) => Number.isInteger(v) && v >= 0 && v < classes
        : (v: number) => Number.isFinite(v);
  const bad = input.labels.findIndex((v) => !ok(v));
  if (bad >= 0) {
    const expected =
      input.task === "binary"
        ? "0 or 1 (the positive class)"
        : input.task === "multiclass"
          ? `a class of artefact.classes`
          : "a finite number";
    throw new UserError(
      `label at row ${bad + 1} is ${input.labels[bad]}, expected ${expected}`,
      where("evaluation.label", "fill or drop rows with missing or unknown labels"),
    );
  }
}
