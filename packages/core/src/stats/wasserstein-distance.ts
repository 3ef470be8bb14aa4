import { type Measurement, measured, notMeasured } from "./measurement.js";
import { sortWeighted } from "./weighted-sample.js";

/**
 * First Wasserstein (earth mover's) distance between two one-dimensional distributions, as
 * `scipy.stats.wasserstein_distance(u, v, uWeights, vWeights)`: the area between their CDFs,
 * `∫ |U(x) - V(x)| dx`, in the units of the values.
 *
 * Weights are frequencies or probabilities (normalised per side; default 1 each). `NaN` values
 * (missing cells) are left out. Degenerate cases: an empty side (or total weight 0) gives `null`
 * with a reason, and so does an infinite value (the distance would be infinite or undefined).
 *
 * https://en.wikipedia.org/wiki/Wasserstein_metric
 *
 * @example
 * wassersteinDistance([0, 1, 3], [5, 6, 8]); // { value: 5 }
 * wassersteinDistance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]);
 * // { value: 4.078133143804786 }
 */
export function wassersteinDistance(
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  uWeights?: ArrayLike<number>,
  vWeights?: ArrayLike<number>,
): Measurement {
  const a = sortWeighted({ values: u, weights: uWeights ?? new Float64Array(u.length).fill(1) });
  const b = sortWeighted({ values: v, weights: vWeights ?? new Float64Array(v.length).fill(1) });
  if (a.values.length === 0) return notMeasured("the first sample is empty");
  if (b.values.length === 0) return notMeasured("the second sample is empty");
  for (const s of [a, b]) {
    if (!Number.isFinite(s.values[0]!) || !Number.isFinite(s.values[s.values.length - 1]!)) {
      return notMeasured("a sample contains an infinite value");
    }
  }
  let totalA = 0;
  for (let k = 0; k < a.weights.length; k++) totalA += a.weights[k]!;
  let totalB = 0;
  for (let k = 0; k < b.weights.length; k++) totalB += b.weights[k]!;
  let i = 0;
  let j = 0;
  let cumA = 0;
  let cumB = 0;
  let previous = Number.NaN;
  let distance = 0;
  while (i < a.values.length || j < b.values.length) {
    const va = i < a.values.length ? a.values[i]! : Number.POSITIVE_INFINITY;
    const vb = j < b.values.length ? b.values[j]! : Number.POSITIVE_INFINITY;
    const x = Math.min(va, vb);
    if (!Number.isNaN(previous)) distance += Math.abs(cumA / totalA - cumB / totalB) * (x - previous);
    if (va === x) cumA += a.weights[i++]!;
    if (vb === x) cumB += b.weights[j++]!;
    previous = x;
  }
  return measured(distance);
}
