/**
 * Rewrites, in place, the first `n` float64 values viewed as little-endian 32-bit word pairs
 * (`words[2i]` the low half of value i, `words[2i + 1]` the high half with the sign) so that
 * unsigned order of the pairs (high word first) is numeric order: positives get the sign bit set,
 * negatives have every bit flipped. −0 sorts just before +0; NaN patterns land at either end, so
 * callers route NaN elsewhere. The radix sorts in this folder sort these words 16 bits at a time;
 * {@link fromSortableBits} undoes it.
 *
 * https://en.wikipedia.org/wiki/Radix_sort
 *
 * @example
 * const values = Float64Array.of(-1, 2);
 * const words = new Uint32Array(values.buffer);
 * toSortableBits(words, 2); // words [0xffffffff, 0x400fffff, 0, 0xc0000000]: -1's pair below 2's
 */
export function toSortableBits(words: Uint32Array, n: number): Uint32Array {
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    if (hi & 0x80000000) {
      words[2 * i + 1] = ~hi >>> 0;
      words[2 * i] = ~words[2 * i]! >>> 0;
    } else words[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  return words;
}

/**
 * Undoes {@link toSortableBits} on the first `n` word pairs, in place, giving back the values' bits.
 *
 * @example
 * const values = Float64Array.of(-1, 2);
 * fromSortableBits(toSortableBits(new Uint32Array(values.buffer), 2), 2); // values [-1, 2] again
 */
export function fromSortableBits(words: Uint32Array, n: number): Uint32Array {
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    if (hi & 0x80000000) words[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    else {
      words[2 * i + 1] = ~hi >>> 0;
      words[2 * i] = ~words[2 * i]! >>> 0;
    }
  }
  return words;
}
