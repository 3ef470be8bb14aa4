import { FLOAT64_EPS, type PassRows, type RowPass } from "./binary-pass.js";

/** Offsets of one group's multiclass tally; per-class sums follow at `CLASS + c * 3` (true, predicted, hit). */
export const MT = { W: 0, CORRECT: 1, LOSS: 2, CLASS: 3 } as const;

/**
 * Prepares the multiclass pass. `scores` is row-major `[rows × classes]` and `labels` are class
 * indices. The prediction is the first class of highest probability (`np.argmax`); the loss of a
 * row is `-log(clip(p[label], eps, 1 - eps))` without renormalising the row, as scikit-learn ≥ 1.5
 * does (it only warns when rows do not sum to 1). A run adds each row's weight into its true and
 * predicted class of every group it belongs to: that is all accuracy, F1 and log loss need.
 *
 * @example
 * const pass = prepareMulticlassPass({ labels: [0, 1], scores: [0.9, 0.1, 0.4, 0.6], groupIds: [new Uint32Array(2)], groups: 1 }, 2);
 * const out = new Float64Array(pass.tallySize);
 * pass.run(null, out);
 * out[MT.CORRECT] / out[MT.W]; // 1
 */
export function prepareMulticlassPass(rows: PassRows, classes: number): RowPass {
  const n = rows.labels.length;
  const stride = rows.groupIds.length;
  const label = new Int32Array(n);
  const pred = new Int32Array(n);
  const loss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = rows.labels[i]!;
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (rows.scores[i * classes + c]! > rows.scores[i * classes + best]!) best = c;
    label[i] = y;
    pred[i] = best;
    const q = Math.min(Math.max(rows.scores[i * classes + y]!, FLOAT64_EPS), 1 - FLOAT64_EPS);
    loss[i] = -Math.log(q);
  }
  const size = MT.CLASS + 3 * classes;
  const run = (weights: Float64Array | Uint8Array | null, out: Float64Array) => {
    out.fill(0, 0, rows.groups * size);
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i]!;
      if (w === 0) continue;
      const y = label[i]!;
      const yhat = pred[i]!;
      const wl = w * loss[i]!;
      for (let j = 0; j < stride; j++) {
        const o = rows.groupIds[j]![i]! * size;
        out[o + MT.W]! += w;
        out[o + MT.LOSS]! += wl;
        out[o + MT.CLASS + y * 3]! += w;
        out[o + MT.CLASS + yhat * 3 + 1]! += w;
        if (y === yhat) {
          out[o + MT.CORRECT]! += w;
          out[o + MT.CLASS + y * 3 + 2]! += w;
        }
      }
    }
  };
  return { rows: n, groups: rows.groups, tallySize: size, run };
}
