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
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = new Map(sorted.slice(0, cap));
  let folded = other;
  for (const [, c] of sorted.slice(cap)) folded += c;
  return { counts: kept, other: folded };
}
