const PAGE_BITS = 6;
const PAGE = 1 << PAGE_BITS;

/**
 * Row counts per (group, bin key), stored per group in pages of 64 bins allocated on first use:
 * an update is two array lookups — a hash table over hundreds of thousands of (group, bin)
 * pairs missed the cache on nearly every row — while memory stays proportional to the bins
 * actually occupied (at most 512 bytes per occupied page).
 *
 * @example
 * const counts = new BinCounts();
 * counts.add(3, 4100, 1);
 * counts.forEach((group, key, n) => console.log(group, key, n)); // 3 4100 1
 */
export class BinCounts {
  private readonly groups: (Float64Array | undefined)[][] = [];

  /** Adds `n` rows to bin `key` of group `g`. */
  add(g: number, key: number, n: number): void {
    let pages = this.groups[g];
    if (!pages) {
      pages = [];
      this.groups[g] = pages;
    }
    const p = key >>> PAGE_BITS;
    let page = pages[p];
    if (!page) {
      page = new Float64Array(PAGE);
      pages[p] = page;
    }
    page[key & (PAGE - 1)]! += n;
  }

  /** Every non-zero count, by group then ascending key. */
  forEach(visit: (g: number, key: number, n: number) => void): void {
    this.groups.forEach((pages, g) => {
      pages.forEach((page, p) => {
        if (!page) return;
        for (let i = 0; i < PAGE; i++) if (page[i]! !== 0) visit(g, (p << PAGE_BITS) + i, page[i]!);
      });
    });
  }

  /** Every non-zero count of one group, by ascending key. */
  forGroup(g: number, visit: (key: number, n: number) => void): void {
    this.groups[g]?.forEach((page, p) => {
      if (!page) return;
      for (let i = 0; i < PAGE; i++) if (page[i]! !== 0) visit((p << PAGE_BITS) + i, page[i]!);
    });
  }
}
