/**
 * A set of 52-bit hashes (see `Hasher52`) in one open-addressing `Float64Array` with linear
 * probing: 8 bytes per slot and no per-entry objects, so millions of keys cost tens of
 * megabytes instead of the gigabytes a `Set<string>` of whole rows would. `0` marks an empty
 * slot, so the hash `0` is stored as `1` (one more collision in 2⁵²).
 *
 * `limit` caps the number of entries (for bounded distinct counts): once reached, `add` of a new
 * hash returns `false` without storing it, and `full` is true.
 *
 * @example
 * const seen = new HashSet52();
 * seen.add(42); // true: new
 * seen.add(42); // false: already there
 * seen.size; // 1
 */
export class HashSet52 {
  private table: Float64Array;
  private mask: number;
  /** Number of distinct hashes stored. */
  size = 0;
  /** True once `limit` entries are stored. */
  full = false;

  constructor(
    initialCapacity = 1024,
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.table = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds `hash`; true when it was not in the set before (and was stored). */
  add(hash: number): boolean {
    const h = hash === 0 ? 1 : hash;
    const table = this.table;
    // The low 32 bits are the well-mixed lane of the hash: use them to pick the slot.
    let i = (h >>> 0) & this.mask;
    for (;;) {
      const slot = table[i]!;
      if (slot === 0) break;
      if (slot === h) return false;
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.limit) {
      this.full = true;
      return false;
    }
    table[i] = h;
    this.size++;
    // Keep the load at most one half, where linear probing stays short.
    if (this.size * 2 > table.length) this.grow();
    return true;
  }

  /** True when `hash` is in the set. */
  has(hash: number): boolean {
    const h = hash === 0 ? 1 : hash;
    let i = (h >>> 0) & this.mask;
    for (;;) {
      const slot = this.table[i]!;
      if (slot === 0) return false;
      if (slot === h) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    for (const h of old) {
      if (h === 0) continue;
      let i = (h >>> 0) & this.mask;
      while (this.table[i] !== 0) i = (i + 1) & this.mask;
      this.table[i] = h;
    }
  }
}
