import type { PassRows, RowPass } from "./binary-pass.js";

/** Offsets of one group's regression tally (weighted sums). */
export const RT = { W: 0, ABS: 1, SQ: 2, APE: 3, DEV: 4, DEV2: 5, ROWS: 6, MIN: 7, MAX: 8 } as const;
/** Numbers per group in a regression tally. */
export const REGRESSION_TALLY_SIZE = 9;

/** `mean_absolute_percentage_error` divides by `max(|y|, eps)` with `eps = np.finfo(float64).eps`. */
const EPS = Number.EPSILON;

/**
 * Prepares the regression pass (`scores` are the predicted values). R² needs the weighted sum of
 * squares about the weighted mean; a one-pass `Σwy² − (Σwy)²/Σw` loses every digit when the mean is
 * large, so each group's deviations are taken about that group's unweighted mean (fixed at
 * preparation), which keeps the correction term near zero for every replicate.
 *
 * @example
 * const pass = prepareRegressionPass({ labels: [1, 3], scores: [1, 2], groupIds: [new Uint32Array(2)], groups: 1 });
 * const out = new Float64Array(pass.tallySize);
 * pass.run(null, out);
 * out[RT.ABS] / out[RT.W]; // 0.5
 */
export function prepareRegressionPass(rows: PassRows): RowPass {
  const n = rows.labels.length;
  const stride = rows.groupIds.length;
  const center = new Float64Array(rows.groups);
  const count = new Float64Array(rows.groups);
  for (const ids of rows.groupIds) {
    for (let i = 0; i < n; i++) {
      center[ids[i]!]! += rows.labels[i]!;
      count[ids[i]!]! += 1;
    }
  }
  for (let g = 0; g < rows.groups; g++) center[g] = count[g]! > 0 ? center[g]! / count[g]! : 0;
  const size = REGRESSION_TALLY_SIZE;
  const run = (weights: Float64Array | Uint8Array | null, out: Float64Array) => {
    for (let g = 0; g < rows.groups; g++) {
      out.fill(0, g * size, g * size + size);
      out[g * size + RT.MIN] = Number.POSITIVE_INFINITY;
      out[g * size + RT.MAX] = Number.NEGATIVE_INFINITY;
    }
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i]!;
      if (w === 0) continue;
      const y = rows.labels[i]!;
      const e = y - rows.scores[i]!;
      const abs = Math.abs(e);
      const ape = abs / Math.max(Math.abs(y), EPS);
      for (let j = 0; j < stride; j++) {
        const g = rows.groupIds[j]![i]!;
        const o = g * size;
        const d = y - center[g]!;
        out[o + RT.W]! += w;
        out[o + RT.ABS]! += w * abs;
        out[o + RT.SQ]! += w * e * e;
        out[o + RT.APE]! += w * ape;
        out[o + RT.DEV]! += w * d;
        out[o + RT.DEV2]! += w * d * d;
        out[o + RT.ROWS]! += 1;
        if (y < out[o + RT.MIN]!) out[o + RT.MIN] = y;
        if (y > out[o + RT.MAX]!) out[o + RT.MAX] = y;
      }
    }
  };
  return { rows: n, groups: rows.groups, tallySize: size, run };
}
