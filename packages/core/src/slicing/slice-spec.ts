/**
 * One `evaluation.slices` entry: a column (a slice per value), a numeric column cut at ascending
 * `bins` edges, or a cross of two columns.
 */
export type SliceSpec = string | { column: string; bins: number[] } | readonly [string, string];

/**
 * The columns a slice spec reads, in key order.
 *
 * @example
 * specColumns(["region", "plan"]); // ["region", "plan"]
 * specColumns({ column: "tenure", bins: [0, 6] }); // ["tenure"]
 */
export function specColumns(spec: SliceSpec): string[] {
  if (typeof spec === "string") return [spec];
  if (Array.isArray(spec)) return [...spec];
  return [(spec as { column: string }).column];
}
