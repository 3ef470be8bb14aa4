/** A fitted {@link isotonicRegression}: a non-decreasing step curve through the distinct inputs. */
export interface IsotonicFit {
  /** The distinct inputs, ascending (scikit-learn's `X_thresholds_` before redundant points are trimmed). */
  x: Float64Array;
  /** The fitted value at each of {@link IsotonicFit.x}: non-decreasing. */
  y: Float64Array;
  /**
   * The fit at any value: linear between the neighbouring inputs, clipped to the first and last
   * fitted value outside them (scikit-learn's `predict` with `out_of_bounds="clip"`). `NaN` for a
   * fit of no points.
   */
  predict(value: number): number;
  /** `predict` of every value, in one sweep when they are ascending (the same numbers). */
  predictAll(values: ArrayLike<number>): Float64Array;
}

/**
 * Isotonic (monotone non-decreasing) least-squares regression of `y` on `x`, as
 * `sklearn.isotonic.IsotonicRegression().fit(x, y, sample_weight=weights)`: the non-decreasing
 * function minimising `Σ wᵢ (yᵢ − f(xᵢ))²`, found by the pool-adjacent-violators algorithm (a run of
 * values that decreases is replaced by its weighted mean, merging backwards until the sequence is
 * non-decreasing). Tied inputs (closer than 1e-15, as scikit-learn's `_make_unique`) are one point
 * with their weighted mean and summed weight. Linear time after the sort.
 *
 * Degenerate cases: points with a `NaN` coordinate or a weight that is not positive are left out;
 * no points left gives an empty fit whose `predict` is `NaN`; one distinct input gives a constant.
 * Mismatched lengths throw: they are a caller's bug, not data.
 *
 * Calibrating scores with it is Zadrozny & Elkan (2002), and what NannyML does before estimating
 * performance from scores.
 *
 * https://en.wikipedia.org/wiki/Isotonic_regression ·
 * https://scikit-learn.org/stable/modules/isotonic.html
 *
 * @example
 * const fit = isotonicRegression([1, 2, 3, 4], [1, 3, 2, 4]);
 * fit.y;            // Float64Array [1, 2.5, 2.5, 4]
 * fit.predict(2.5); // 2.5
 * fit.predict(9);   // 4 (clipped)
 */
export function isotonicRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicFit {
  if (y.length !== x.length || (weights && weights.length !== x.length)) {
    throw new RangeError(
      `isotonicRegression: ${x.length} inputs against ${y.length} targets${weights ? ` and ${weights.length} weights` : ""}`,
    );
  }
  const order: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const w = weights ? weights[i]! : 1;
    if (!Number.isNaN(x[i]!) && !Number.isNaN(y[i]!) && w > 0) order.push(i);
  }
  // scikit-learn sorts by x, then y (np.lexsort((y, X))); inputs already in that order (binned
  // scores, refitted many times) skip the sort.
  let sorted = true;
  for (let k = 1; k < order.length && sorted; k++) {
    const a = order[k - 1]!;
    const b = order[k]!;
    sorted = x[a]! < x[b]! || (x[a]! === x[b]! && y[a]! <= y[b]!);
  }
  if (!sorted) order.sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);

  // Tied inputs become one point: the first input of the run, the weighted mean, the summed weight.
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  for (const i of order) {
    const w = weights ? weights[i]! : 1;
    const last = ux.length - 1;
    if (last >= 0 && x[i]! - ux[last]! < 1e-15) {
      uy[last]! += y[i]! * w;
      uw[last]! += w;
    } else {
      ux.push(x[i]!);
      uy.push(y[i]! * w);
      uw.push(w);
    }
  }
  for (let j = 0; j < ux.length; j++) uy[j]! /= uw[j]!;

  // Pool adjacent violators: a stack of blocks, each its weighted sum, weight and first point.
  const blockSum: number[] = [];
  const blockWeight: number[] = [];
  const blockStart: number[] = [];
  for (let j = 0; j < ux.length; j++) {
    let sum = uy[j]! * uw[j]!;
    let weight = uw[j]!;
    let start = j;
    while (
      blockSum.length > 0 &&
      blockSum[blockSum.length - 1]! / blockWeight[blockWeight.length - 1]! >= sum / weight
    ) {
      sum += blockSum.pop()!;
      weight += blockWeight.pop()!;
      start = blockStart.pop()!;
    }
    blockSum.push(sum);
    blockWeight.push(weight);
    blockStart.push(start);
  }
  const fitted = new Float64Array(ux.length);
  for (let b = 0; b < blockStart.length; b++) {
    const end = b + 1 < blockStart.length ? blockStart[b + 1]! : ux.length;
    fitted.fill(blockSum[b]! / blockWeight[b]!, blockStart[b]!, end);
  }
  const xs = Float64Array.from(ux);
  return {
    x: xs,
    y: fitted,
    predict: (value) => interpolate(xs, fitted, value, 0),
    predictAll(values) {
      const out = new Float64Array(values.length);
      // Ascending values: each search starts where the previous one ended.
      let from = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (i > 0 && !(v >= values[i - 1]!)) from = 0;
        while (from + 1 < xs.length && xs[from + 1]! <= v) from += 1;
        out[i] = interpolate(xs, fitted, v, from);
      }
      return out;
    },
  };
}

/**
 * numpy's `interp` (linear between neighbours, clipped at the ends), as scikit-learn predicts.
 * `from` is an index known to be at or below the value's neighbour (0 when unknown).
 */
function interpolate(x: Float64Array, y: Float64Array, value: number, from: number): number {
  const n = x.length;
  if (n === 0 || Number.isNaN(value)) return Number.NaN;
  if (value <= x[0]!) return y[0]!;
  if (value >= x[n - 1]!) return y[n - 1]!;
  // The last input at or below the value: x[lo] ≤ value < x[lo + 1].
  let lo = from;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= value) lo = mid;
    else hi = mid;
  }
  const slope = (y[hi]! - y[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + slope * (value - x[lo]!);
}
