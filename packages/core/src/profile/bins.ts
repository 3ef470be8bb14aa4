import { type KllSketch, kllQuantile, kllRank } from "./kll-sketch.js";

/**
 * Index of the right-closed bin `(e[i-1], e[i]]` holding `value`, for ascending interior edges:
 * 0 for `value ≤ e[0]`, `edges.length` above the last edge.
 *
 * https://en.wikipedia.org/wiki/Histogram
 *
 * @example
 * binIndex([1, 2], 1); // 0
 * binIndex([1, 2], 1.5); // 1
 * binIndex([1, 2], 9); // 2
 */
export function binIndex(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The counts of ascending `values` in the right-closed bins of `edges` (the bins of
 * {@link binIndex}), by one binary search per edge instead of one per value.
 *
 * @example
 * sortedBinCounts(Float64Array.of(0, 1, 1.5, 2, 9), [1, 2]); // [2, 2, 1]
 */
export function sortedBinCounts(values: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let below = 0;
  edges.forEach((edge, e) => {
    // The first value above the edge: every value before it is at most the edge.
    let lo = below;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! <= edge) lo = mid + 1;
      else hi = mid;
    }
    counts[e] = lo - below;
    below = lo;
  });
  counts[edges.length] = values.length - below;
  return counts;
}

/**
 * Interior edges of `bins` equal-frequency bins, read off a quantile sketch: the distinct
 * `i / bins` quantiles, `i = 1 … bins-1`. Fewer edges come back when quantiles coincide (a column
 * with few distinct values); a constant column gets one edge, its value.
 *
 * https://en.wikipedia.org/wiki/Quantile
 *
 * @example
 * quantileEdges(sketchOf1To100, 4); // ≈ [25, 50, 75]
 */
export function quantileEdges(sketch: KllSketch, bins: number): number[] {
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const q = kllQuantile(sketch, i / bins);
    if (q !== null && (edges.length === 0 || q > edges[edges.length - 1]!)) edges.push(q);
  }
  return edges;
}

/**
 * Counts per bin estimated from a quantile sketch: the differences of estimated ranks at the
 * edges. They sum to the sketch's `n` exactly; each count is within twice the sketch's rank error.
 *
 * @example
 * countsFromSketch(sketchOf1To100, [50]); // ≈ [50, 50]
 */
export function countsFromSketch(sketch: KllSketch, edges: readonly number[]): number[] {
  const counts: number[] = [];
  let previous = 0;
  for (const e of edges) {
    const rank = kllRank(sketch, e);
    counts.push(rank - previous);
    previous = rank;
  }
  counts.push(sketch.n - previous);
  return counts;
}
