/**
 * A sample given as distinct values with how often each occurs (or a weight per value): the
 * exact form of an empirical distribution, and the form a quantile sketch summarises to.
 * `values` need not be sorted or distinct; `weights` are non-negative.
 *
 * @example
 * const sample: WeightedSample = { values: [1, 2, 5], weights: [3, 1, 1] }; // 1, 1, 1, 2, 5
 */
export interface WeightedSample {
  values: ArrayLike<number>;
  weights: ArrayLike<number>;
}

/**
 * The distinct values of `values`, sorted ascending, with their counts. `NaN` (a missing value in
 * a column) is left out.
 *
 * @example
 * countValues([3, 1, 3, NaN]); // { values: [1, 3], weights: [1, 2] }
 */
export function countValues(values: ArrayLike<number>): { values: number[]; weights: number[] } {
  const sorted = Float64Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const out: number[] = [];
  const weights: number[] = [];
  for (const v of sorted) {
    if (out.length > 0 && out[out.length - 1] === v) weights[weights.length - 1]! += 1;
    else {
      out.push(v);
      weights.push(1);
    }
  }
  return { values: out, weights };
}

/**
 * Sort a weighted sample by value, merging equal values and dropping `NaN` values and zero weights.
 * Throws on a negative or non-finite weight or on arrays of different lengths (a programming
 * mistake, not a property of the data).
 *
 * @example
 * sortWeighted({ values: [2, 1, 2], weights: [1, 1, 0.5] }); // { values: [1, 2], weights: [1, 1.5] }
 */
export function sortWeighted(sample: WeightedSample): WeightedSample {
  const { values, weights } = sample;
  if (values.length !== weights.length) {
    throw new RangeError(`values and weights differ in length (${values.length} and ${weights.length})`);
  }
  if (isSortedWeighted(values, weights)) return { values, weights };
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || !Number.isFinite(w))
      throw new RangeError(`weight ${i} is ${w}; weights must be finite and >= 0`);
    if (w > 0 && !Number.isNaN(values[i]!)) order.push(i);
  }
  order.sort((a, b) => values[a]! - values[b]!);
  const out: number[] = [];
  const outWeights: number[] = [];
  for (const i of order) {
    const v = values[i]!;
    if (out.length > 0 && out[out.length - 1] === v) outWeights[outWeights.length - 1]! += weights[i]!;
    else {
      out.push(v);
      outWeights.push(weights[i]!);
    }
  }
  return { values: out, weights: outWeights };
}

/**
 * Whether a sample is already what {@link sortWeighted} makes of it: strictly ascending values
 * (none `NaN`) with positive finite weights, as {@link weightedSorted} and sketches give it. Then
 * the sample is returned as it is (one pass instead of a sort of every index with a comparator,
 * and no copy: the whole period of a 10M-row drift check has millions of distinct values).
 */
function isSortedWeighted(values: ArrayLike<number>, weights: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    const w = weights[i]!;
    if (!(w > 0 && w < Number.POSITIVE_INFINITY)) return false;
    if (i > 0 && !(values[i]! > values[i - 1]!)) return false;
  }
  return values.length === 0 || !Number.isNaN(values[0]!);
}

/**
 * The distinct values of an ascending array with their counts, in one pass: {@link countValues}
 * for values already sorted (a profile's kept values). `NaN` must not occur.
 *
 * @example
 * weightedSorted(Float64Array.of(1, 3, 3)); // { values: Float64Array [1, 3], weights: Uint32Array [1, 2] }
 */
export function weightedSorted(sorted: ArrayLike<number>): { values: Float64Array; weights: Uint32Array } {
  // Two passes, so both arrays have their exact size (no growth slack on millions of values).
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const values = new Float64Array(distinct);
  const weights = new Uint32Array(distinct);
  let d = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) values[++d] = sorted[i]!;
    weights[d]! += 1;
  }
  return { values, weights };
}
