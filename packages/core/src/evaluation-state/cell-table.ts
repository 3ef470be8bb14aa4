/**
 * A growable table of fixed-width numeric records keyed by a pair of uint32 `(a, b)` — here
 * (group, cell code) — with open addressing, so the hot loop of `EvaluationState.add` does one
 * probe and a few typed-array additions per row and group, and no allocation. Records are stored
 * in insertion order; `data[i * width + f]` is field `f` of record `i`.
 *
 * @example
 * const t = new CellTable(2);
 * const i = t.index(3, 7);
 * t.data[i * 2] += 1;
 * t.index(3, 7) === i; // true
 */
export class CellTable {
  size = 0;
  keyA: Uint32Array;
  keyB: Uint32Array;
  data: Float64Array;
  private slots: Int32Array;
  private mask: number;

  constructor(
    readonly width: number,
    capacity = 256,
  ) {
    this.keyA = new Uint32Array(capacity);
    this.keyB = new Uint32Array(capacity);
    this.data = new Float64Array(capacity * width);
    this.slots = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity * 2 - 1;
  }

  /** The record of `(a, b)`, created (all fields 0) when absent. */
  index(a: number, b: number): number {
    let s = slotHash(a, b) & this.mask;
    for (;;) {
      const i = this.slots[s]!;
      if (i < 0) break;
      if (this.keyA[i] === a && this.keyB[i] === b) return i;
      s = (s + 1) & this.mask;
    }
    if (this.size === this.keyA.length) {
      this.grow();
      return this.index(a, b);
    }
    const i = this.size++;
    this.keyA[i] = a;
    this.keyB[i] = b;
    this.slots[s] = i;
    return i;
  }

  /** Empties the table, keeping its capacity. */
  clear(): void {
    this.data.fill(0, 0, this.size * this.width);
    this.slots.fill(-1);
    this.size = 0;
  }

  private grow(): void {
    const capacity = this.keyA.length * 2;
    const keyA = new Uint32Array(capacity);
    keyA.set(this.keyA);
    const keyB = new Uint32Array(capacity);
    keyB.set(this.keyB);
    const data = new Float64Array(capacity * this.width);
    data.set(this.data);
    this.keyA = keyA;
    this.keyB = keyB;
    this.data = data;
    this.mask = capacity * 2 - 1;
    this.slots = new Int32Array(capacity * 2).fill(-1);
    for (let i = 0; i < this.size; i++) {
      let s = slotHash(keyA[i]!, keyB[i]!) & this.mask;
      while (this.slots[s]! >= 0) s = (s + 1) & this.mask;
      this.slots[s] = i;
    }
  }
}

function slotHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
