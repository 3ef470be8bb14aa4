// Synthetic multiclass models for the label-free estimate's tests: known truth, logged probabilities.
import { PROFILE_SCHEMA, type Profile } from "../profile/profile.js";
import type { Rng } from "../random/rng.js";
import { labelledScoreCounts } from "./reference-calibration.js";

export const CLASSES = ["basic", "plus", "postpaid"];

/**
 * Rows of a 3-class model whose true class probabilities are softmax(z), z_k = scale · x_k +
 * shift_k with x ~ N(0, 1); the model logs softmax(sharpness · z) (1: calibrated, 3:
 * over-confident) and the outcome is drawn from the true probabilities.
 */
export function rowsOf(rng: Rng, n: number, sharpness: number, shift: readonly number[], scale = 1) {
  const logged: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = shift.map((s) => s + scale * rng.normal(0, 1));
    const softmax = (a: number) => {
      const e = z.map((v) => Math.exp(a * v));
      const sum = e.reduce((s, v) => s + v, 0);
      return e.map((v) => v / sum);
    };
    const p = softmax(1);
    const u = rng.next();
    truth.push(u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2);
    logged.push(softmax(sharpness));
  }
  return { logged, truth };
}

/** A reference profile holding only the labelled class probabilities of `rows`, as promote writes them. */
export function referenceOf(rows: { logged: number[][]; truth: number[] }): Profile {
  return {
    schema: PROFILE_SCHEMA,
    rows: rows.truth.length,
    chunkRows: 1,
    columns: {},
    classCalibration: {
      label: "plan",
      classes: CLASSES,
      rows: rows.truth.length,
      labelledScores: CLASSES.map((_, k) =>
        labelledScoreCounts(
          rows.logged.map((p) => p[k]!),
          rows.truth.map((y) => (y === k ? 1 : 0)),
        ),
      ),
    },
  };
}
