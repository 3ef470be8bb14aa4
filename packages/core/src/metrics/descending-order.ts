/**
 * Row indices ordered by descending score, ties by ascending index: an LSD radix sort on the
 * IEEE-754 bit patterns (16 bits a pass, passes whose digit never varies skipped). For a million
 * rows it runs in a few tens of milliseconds, where `Array.prototype.sort` with a comparator
 * takes about a second. `-0` sorts as `0`; scores must not be NaN.
 *
 * @example
 * descendingOrder(Float64Array.of(0.2, 0.9, 0.2)); // Uint32Array [1, 0, 2]
 */
export function descendingOrder(scores: ArrayLike<number>): Uint32Array {
  const n = scores.length;
  const copy = new Float64Array(n);
  for (let i = 0; i < n; i++) copy[i] = scores[i]! + 0;
  const bits = new Uint32Array(copy.buffer);
  // Map each double to an unsigned key that grows as the score falls: flip positives' magnitude
  // bits and clear their sign; keep negatives' magnitude and set their sign.
  for (let i = 0; i < n; i++) {
    const hi = bits[2 * i + 1]!;
    if (hi >>> 31) {
      bits[2 * i + 1] = hi | 0x80000000;
    } else {
      bits[2 * i + 1] = ~hi & 0x7fffffff;
      bits[2 * i] = ~bits[2 * i]! >>> 0;
    }
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Uint32Array(n);
  const count = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((bits[2 * i + word]! >>> shift) & 0xffff) + 1]! += 1;
    if (count.some((c) => c === n)) continue;
    for (let d = 1; d <= 65536; d++) count[d]! += count[d - 1]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[count[(bits[2 * i + word]! >>> shift) & 0xffff]!++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}
