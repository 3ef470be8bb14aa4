const PAGE_BITS = 6;
const PAGE = 1 << PAGE_BITS;
/** Pages per group kept in the flat page index: keys below 2¹⁵ (ranking bins use 16,392). */
const SPAN = 1 << (15 - PAGE_BITS);

/**
 * Row counts per (group, bin key), stored per group in pages of 64 bins allocated on first use:
 * an update is two typed-array lookups — the page's offset in one pool, then the count — where a
 * hash table over hundreds of thousands of (group, bin) pairs missed the cache on nearly every
 * row, while memory stays proportional to the bins actually occupied (512 bytes per occupied
 * page, plus 2 KB of page index per group). Keys beyond the index's span (none that a state
 * makes) go to pages of their own.
 *
 * @example
 * const counts = new BinCounts();
 * counts.add(3, 4100, 1);
 * counts.forEach((group, key, n) => console.log(group, key, n)); // 3 4100 1
 */
export class BinCounts {
  /** Per group and page below `SPAN`, the page's offset in `pool`, or −1. */
  private pageOf = new Int32Array(0);
  private pool = new Float64Array(PAGE * 64);
  private used = 0;
  /** Groups that `pageOf` has room for. */
  private capacity = 0;
  /** Pages at or beyond `SPAN`, per group. */
  private readonly far: (Float64Array | undefined)[][] = [];

  /** Adds `n` rows to bin `key` of group `g`. */
  add(g: number, key: number, n: number): void {
    const p = key >>> PAGE_BITS;
    if (p >= SPAN || g >= this.capacity) {
      this.addSlow(g, key, n);
      return;
    }
    let at = this.pageOf[g * SPAN + p]!;
    if (at < 0) at = this.newPage(g * SPAN + p);
    this.pool[at + (key & (PAGE - 1))]! += n;
  }

  /**
   * One row per group id: adds 1 to bins `keys[2r]`, …, `keys[2r + perRow − 1]` of group `ids[r]`
   * for every row r below `rows` — `add` in one loop, for the hot path of `EvaluationState.add`.
   */
  addRows(ids: ArrayLike<number>, keys: Int32Array, perRow: number, rows: number): void {
    for (let r = 0; r < rows; r++) {
      const g = ids[r]!;
      for (let m = 0; m < perRow; m++) {
        const key = keys[2 * r + m]!;
        const p = key >>> PAGE_BITS;
        if (p >= SPAN || g >= this.capacity) {
          this.addSlow(g, key, 1);
          continue;
        }
        let at = this.pageOf[g * SPAN + p]!;
        if (at < 0) at = this.newPage(g * SPAN + p);
        this.pool[at + (key & (PAGE - 1))]! += 1;
      }
    }
  }

  /** Every non-zero count, by group then ascending key. */
  forEach(visit: (g: number, key: number, n: number) => void): void {
    const groups = Math.max(this.capacity, this.far.length);
    for (let g = 0; g < groups; g++) this.forGroup(g, (key, n) => visit(g, key, n));
  }

  /** Every non-zero count of one group, by ascending key. */
  forGroup(g: number, visit: (key: number, n: number) => void): void {
    if (g < this.capacity) {
      for (let p = 0; p < SPAN; p++) {
        const at = this.pageOf[g * SPAN + p]!;
        if (at < 0) continue;
        for (let i = 0; i < PAGE; i++) {
          const n = this.pool[at + i]!;
          if (n !== 0) visit((p << PAGE_BITS) + i, n);
        }
      }
    }
    this.far[g]?.forEach((page, p) => {
      if (!page) return;
      for (let i = 0; i < PAGE; i++) if (page[i]! !== 0) visit((p << PAGE_BITS) + i, page[i]!);
    });
  }

  private addSlow(g: number, key: number, n: number): void {
    const p = key >>> PAGE_BITS;
    if (p < SPAN) {
      this.grow(g + 1);
      this.add(g, key, n);
      return;
    }
    let pages = this.far[g];
    if (!pages) {
      pages = [];
      this.far[g] = pages;
    }
    let page = pages[p];
    if (!page) {
      page = new Float64Array(PAGE);
      pages[p] = page;
    }
    page[key & (PAGE - 1)]! += n;
  }

  private newPage(slot: number): number {
    if (this.used + PAGE > this.pool.length) {
      const pool = new Float64Array(this.pool.length * 2);
      pool.set(this.pool);
      this.pool = pool;
    }
    const at = this.used;
    this.used += PAGE;
    this.pageOf[slot] = at;
    return at;
  }

  private grow(groups: number): void {
    const capacity = Math.max(groups, this.capacity * 2, 16);
    const pageOf = new Int32Array(capacity * SPAN).fill(-1);
    pageOf.set(this.pageOf);
    this.pageOf = pageOf;
    this.capacity = capacity;
  }
}
