/**
 * Keep the `cap` most frequent values of a count table (ties broken by value, so the result does
 * not depend on arrival order) and fold the rest into `other`. This bounds the memory of a
 * categorical column whatever its cardinality; counts of the kept values stay exact.
 *
 * https://en.wikipedia.org/wiki/Streaming_algorithm#Frequent_elements
 *
 * @example
 * capCounts(new Map([["a", 5], ["b", 1], ["c", 3]]), 0, 2); // { counts: Map { a: 5, c: 3 }, other: 1 }
 */
export function capCounts(
  counts: Map<string, number>,
  other: number,
  cap: number,
): { counts: Map<string, number>; other: number } {
  if (counts.size <= cap) return { counts, other };
  const sorted = [...counts].sort(byCountThenValue);
  const kept = new Map(sorted.slice(0, cap));
  let folded = other;
  for (const [, c] of sorted.slice(cap)) folded += c;
  return { counts: kept, other: folded };
}

/** Most frequent first, ties by value: one order for every count table, whatever the arrival order. */
function byCountThenValue(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/**
 * Counts as a plain object, most frequent first (ties by value) so the JSON reads well and is stable.
 *
 * @example
 * sortedRecord(new Map([["b", 1], ["a", 5], ["c", 1]])); // { a: 5, b: 1, c: 1 }
 */
export function sortedRecord(counts: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const [k, v] of [...counts].sort(byCountThenValue)) out[k] = v;
  return out;
}

/**
 * Two capped count tables as one: counts added value by value, then capped again (what no longer
 * fits joins `other`).
 *
 * @example
 * mergeCounts({ counts: new Map([["a", 2]]), other: 1 }, { counts: new Map([["a", 1], ["b", 1]]), other: 0 }, 1);
 * // { counts: Map { a: 3 }, other: 2 }
 */
export function mergeCounts(
  a: { counts: Map<string, number>; other: number },
  b: { counts: Map<string, number>; other: number },
  cap: number,
): { counts: Map<string, number>; other: number } {
  const counts = new Map(a.counts);
  for (const [k, v] of b.counts) counts.set(k, (counts.get(k) ?? 0) + v);
  return capCounts(counts, a.other + b.other, cap);
}
