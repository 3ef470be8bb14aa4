/**
 * Counts per category: an array aligned by position, or a record keyed by category value.
 *
 * @example
 * const byValue: CategoryCounts = { AE: 120, SA: 80 };
 * const byPosition: CategoryCounts = [120, 80];
 */
export type CategoryCounts = ArrayLike<number> | Readonly<Record<string, number>>;

/**
 * Two {@link CategoryCounts} as aligned arrays: positions as given for arrays (which must have the
 * same length), or the sorted union of keys for records (a key missing on one side counts 0).
 *
 * @example
 * alignCounts({ a: 1, b: 2 }, { b: 3, c: 4 }); // { keys: ["a", "b", "c"], left: [1, 2, 0], right: [0, 3, 4] }
 */
export function alignCounts(
  left: CategoryCounts,
  right: CategoryCounts,
): { keys: string[]; left: number[]; right: number[] } {
  const leftIsArray = isArrayLike(left);
  const rightIsArray = isArrayLike(right);
  if (leftIsArray !== rightIsArray)
    throw new TypeError("alignCounts: pass two arrays or two records, not one of each");
  if (leftIsArray && rightIsArray) {
    if (left.length !== right.length) {
      throw new RangeError(`alignCounts: arrays differ in length (${left.length} and ${right.length})`);
    }
    const keys = Array.from({ length: left.length }, (_, i) => String(i));
    return { keys, left: Array.from(left), right: Array.from(right) };
  }
  const l = left as Readonly<Record<string, number>>;
  const r = right as Readonly<Record<string, number>>;
  const keys = [...new Set([...Object.keys(l), ...Object.keys(r)])].sort();
  return { keys, left: keys.map((k) => l[k] ?? 0), right: keys.map((k) => r[k] ?? 0) };
}

function isArrayLike(value: CategoryCounts): value is ArrayLike<number> {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}

/**
 * Throws unless every count is finite and non-negative (a programming mistake, not a data property).
 *
 * @example
 * assertCounts([1, 0, 2], "expected"); // ok
 */
export function assertCounts(counts: ArrayLike<number>, name: string): void {
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (!(c >= 0) || !Number.isFinite(c))
      throw new RangeError(`${name}[${i}] is ${c}; counts must be finite and >= 0`);
  }
}
