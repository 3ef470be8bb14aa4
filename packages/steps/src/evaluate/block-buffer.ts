type TypedArray = Float64Array | Uint8Array | Uint32Array;

/** Typed-array batches appended into large blocks; see {@link blockBuffer}. */
export interface BlockBuffer<T extends TypedArray> {
  /** Appends `values` (copied). */
  push(values: T): void;
  /** Appends `n` copies of `value`. */
  fill(value: number, n: number): void;
  /**
   * Every row pushed, in one array: the first block itself when every row fit in it (a view of
   * its first rows), else the blocks joined, each released as it is copied.
   */
  finish(): T;
}

/** Rows of the first block; each next block doubles, up to {@link MAX_BLOCK}. */
const FIRST_BLOCK = 1 << 16;
/** Largest block: 4M rows, 32 MB of doubles, allocated outside malloc's arena and so returned to the system when freed. */
const MAX_BLOCK = 1 << 22;

/**
 * Appends typed-array batches into a few large blocks and joins them once at the end. Batches are
 * copied as they arrive, so a reader's batches die young instead of piling up until the end, and
 * the blocks, being large, are mapped on their own and given back when freed: at 10M rows this is
 * what keeps the join from holding every column twice (parts in malloc's arena plus the joined
 * arrays). Pages of a block not yet written are never touched, so the unused tail costs no memory.
 * Given the `expected` rows (an estimate, a little over), the first block holds them all, and
 * `finish` returns it without a copy: at 10M rows, the join's second copy of every column is
 * what made the end of the read the run's peak.
 *
 * @example
 * const scores = blockBuffer((n) => new Float64Array(n));
 * scores.push(Float64Array.of(0.1, 0.9));
 * scores.finish(); // Float64Array [0.1, 0.9]
 */
export function blockBuffer<T extends TypedArray>(
  create: (length: number) => T,
  expected?: number,
): BlockBuffer<T> {
  const blocks: T[] = [];
  let used = 0;
  let rows = 0;
  const room = (): T => {
    const last = blocks[blocks.length - 1];
    if (last && used < last.length) return last;
    const size = last ? Math.min(MAX_BLOCK, last.length * 2) : Math.max(FIRST_BLOCK, expected ?? 0);
    const block = create(size);
    blocks.push(block);
    used = 0;
    return block;
  };
  return {
    push(values: T): void {
      let from = 0;
      while (from < values.length) {
        const block = room();
        const n = Math.min(block.length - used, values.length - from);
        block.set(values.subarray(from, from + n), used);
        used += n;
        from += n;
        rows += n;
      }
    },
    fill(value: number, n: number): void {
      let left = n;
      while (left > 0) {
        const block = room();
        const k = Math.min(block.length - used, left);
        block.fill(value, used, used + k);
        used += k;
        left -= k;
        rows += k;
      }
    },
    finish(): T {
      if (blocks.length === 1) {
        const only = blocks.pop()!;
        return only.length === rows ? only : (only.subarray(0, rows) as T);
      }
      const out = create(rows);
      let at = 0;
      for (let b = 0; b < blocks.length; b++) {
        const block = blocks[b]!;
        const n = Math.min(block.length, rows - at);
        out.set(block.subarray(0, n), at);
        at += n;
        blocks[b] = undefined as unknown as T;
      }
      blocks.length = 0;
      return out;
    },
  };
}
