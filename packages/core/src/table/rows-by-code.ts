/**
 * The rows of each code, in ascending order: `codes[i]` is row i's code (0 … counts.length − 1,
 * or −1 for a row in none) and `counts[c]` how many rows have code c. Each list is allocated once
 * at its size (no growing lists), so grouping a batch's rows costs two walks.
 *
 * @example
 * rowsByCode(Int32Array.of(1, -1, 0, 1), [1, 2]); // [Uint32Array [2], Uint32Array [0, 3]]
 */
export function rowsByCode(codes: Int32Array, counts: readonly number[]): Uint32Array[] {
  const lists = counts.map((count) => new Uint32Array(count));
  const filled = new Uint32Array(counts.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) lists[c]![filled[c]!++] = i;
  }
  return lists;
}
