/** A confidence interval, or why there is none. */
export type Interval = { ci: [number, number] } | { ci: null; reason: string };

/**
 * The percentile bootstrap interval at `confidence`: the `(1 − c)/2` and `(1 + c)/2` quantiles of
 * the replicate values, linearly interpolated (numpy's default `np.quantile`, R type 7). `NaN`
 * marks a replicate where the metric was undefined (e.g. a resample with one class); those are
 * dropped, and if more than `1 − c` of them are missing there is no interval, since the rest
 * cannot carry the claimed coverage.
 *
 * @see https://en.wikipedia.org/wiki/Bootstrapping_(statistics)#Percentile_bootstrap
 * @example
 * percentileInterval(Float64Array.of(1, 2, 3, 4, 5), 0.5); // { ci: [2, 4] }
 */
export function percentileInterval(values: Float64Array, confidence: number): Interval {
  // A numeric sort puts NaN last, so the defined values are the sorted copy's head.
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) count++;
  const defined = values.slice().sort().subarray(0, count);
  if (defined.length === 0) return { ci: null, reason: "no replicate defines the metric" };
  const missing = values.length - defined.length;
  if (missing > (1 - confidence) * values.length) {
    return { ci: null, reason: `undefined in ${missing} of ${values.length} replicates` };
  }
  return { ci: [quantile(defined, (1 - confidence) / 2), quantile(defined, (1 + confidence) / 2)] };
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // a + (b − a)·t returns a exactly when a = b, so a constant set gives a degenerate [a, a].
  return a === b ? a : a + (b - a) * (h - lo);
}
