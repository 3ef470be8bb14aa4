/**
 * The slice label of a number cut by ascending bin `edges`: `[a, b)` between two edges, `< first`
 * below the first edge, `≥ last` at or above the last, and `(missing)` for NaN.
 *
 * @example
 * binLabel(7, [0, 6, 12, 24, 60]); // "[6, 12)"
 * binLabel(-1, [0, 6, 12, 24, 60]); // "< 0"
 * binLabel(60, [0, 6, 12, 24, 60]); // "≥ 60"
 */
export function binLabel(value: number, edges: readonly number[]): string {
  return binLabels(edges)[binIndex(value, edges)]!;
}

/** The label that missing values (null cells, NaN) get in every kind of slice. */
export const MISSING = "(missing)";

/**
 * Index into {@link binLabels} of `value`: 0 = below the first edge, `edges.length` = at or above
 * the last, `edges.length + 1` = missing. Binary search, so many edges stay cheap.
 *
 * @example
 * binIndex(6, [0, 6, 12]); // 2
 */
export function binIndex(value: number, edges: readonly number[]): number {
  if (Number.isNaN(value)) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every label of a binning, in order: `< e0`, `[e0, e1)`, …, `≥ eLast`, `(missing)`.
 *
 * @example
 * binLabels([0, 6]); // ["< 0", "[0, 6)", "≥ 6", "(missing)"]
 */
export function binLabels(edges: readonly number[]): string[] {
  const out = [`< ${edges[0]}`];
  for (let i = 0; i + 1 < edges.length; i++) out.push(`[${edges[i]}, ${edges[i + 1]})`);
  out.push(`≥ ${edges[edges.length - 1]}`, MISSING);
  return out;
}
