/** A confidence interval, or why there is none. */
export type Interval = { ci: [number, number] } | { ci: null; reason: string };

/**
 * The percentile bootstrap interval at `confidence`: the `(1 − c)/2` and `(1 + c)/2` quantiles of
 * the replicate values, linearly interpolated (numpy's default `np.quantile`, R type 7). `NaN`
 * marks a replicate where the metric was undefined (e.g. a resample with one class); those are
 * dropped, and if more than `1 − c` of them are missing there is no interval, since the rest
 * cannot carry the claimed coverage. `levels` reads other quantiles (a BCa interval's adjusted ones).
 *
 * @see https://en.wikipedia.org/wiki/Bootstrapping_(statistics)#Percentile_bootstrap
 * @example
 * percentileInterval(Float64Array.of(1, 2, 3, 4, 5), 0.5); // { ci: [2, 4] }
 */
export function percentileInterval(
  values: Float64Array,
  confidence: number,
  levels: readonly [number, number] = [(1 - confidence) / 2, (1 + confidence) / 2],
): Interval {
  // The defined values, in a copy that the selection below reorders.
  const defined = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) defined[count++] = values[i]!;
  if (count === 0) return { ci: null, reason: "no replicate defines the metric" };
  const missing = values.length - count;
  if (missing > (1 - confidence) * values.length) {
    return { ci: null, reason: `undefined in ${missing} of ${values.length} replicates` };
  }
  const head = defined.subarray(0, count);
  return { ci: [quantile(head, levels[0]), quantile(head, levels[1])] };
}

/**
 * The q-quantile of `values` as the sorted array's (type 7): only the two order statistics it
 * reads are found, by selection, which reorders `values` (a thousand replicates are selected in
 * a fifth of the time they are sorted in, and an evaluation has thousands of intervals).
 */
function quantile(values: Float64Array, q: number): number {
  const h = (values.length - 1) * q;
  const lo = Math.floor(h);
  const a = select(values, lo);
  let b = a;
  if (lo + 1 < values.length) {
    // After the selection everything past lo is ≥ a: the next order statistic is their minimum.
    b = values[lo + 1]!;
    for (let i = lo + 2; i < values.length; i++) if (values[i]! < b) b = values[i]!;
  }
  // a + (b − a)·t returns a exactly when a = b, so a constant set gives a degenerate [a, a].
  return a === b ? a : a + (b - a) * (h - lo);
}

/**
 * Reorders `v` so that `v[k]` is its k-th smallest value, every value before it ≤ it and every
 * value after it ≥ it (Hoare's selection, median-of-three pivots), and returns `v[k]`.
 */
function select(v: Float64Array, k: number): number {
  let left = 0;
  let right = v.length - 1;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three to v[mid], with v[left] ≤ v[mid] ≤ v[right].
    if (v[mid]! < v[left]!) swap(v, mid, left);
    if (v[right]! < v[left]!) swap(v, right, left);
    if (v[right]! < v[mid]!) swap(v, right, mid);
    const pivot = v[mid]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) {
        swap(v, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return v[k]!;
}

function swap(v: Float64Array, i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}
