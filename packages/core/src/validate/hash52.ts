/**
 * A streaming 52-bit hash of a sequence of values (a row, or a composite key), built on cyrb53's
 * two 32-bit multiply-xor lanes. 52 bits fit exactly in a double, so hashes can be stored in a
 * `Float64Array` and compared with `===`. Not cryptographic: two different rows collide with
 * probability about n² / 2⁵³ (≈ 0.04% for two million distinct rows), which is acceptable for
 * counting duplicates in a data check.
 *
 * Fields are typed and terminated, so `"ab", "c"` differs from `"a", "bc"`, `1` from `"1"`, and
 * null from `""` and `NaN`.
 *
 * @example
 * const hasher = new Hasher52();
 * hasher.reset();
 * hasher.addString("churn");
 * hasher.addNumber(1);
 * hasher.digest(); // an integer in [0, 2^52)
 */
export class Hasher52 {
  private h1 = 0;
  private h2 = 0;
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);

  /** Starts a new sequence (optionally from a {@link snapshot}, to share a common prefix). */
  reset(from?: readonly [number, number]): void {
    this.h1 = from ? from[0] : 0xdeadbeef;
    this.h2 = from ? from[1] : 0x41c6ce57;
  }

  /** The state after the values added so far, for {@link reset}. */
  snapshot(): [number, number] {
    return [this.h1, this.h2];
  }

  /** Adds a text field. */
  addString(text: string): void {
    for (let i = 0; i < text.length; i++) this.word(text.charCodeAt(i));
    // Above every UTF-16 code unit, so it can only be read as a terminator.
    this.word(0x10000 + (text.length & 0xffff));
  }

  /** Adds a number field; `-0` equals `0` and every NaN is the same. */
  addNumber(value: number): void {
    this.f64[0] = value === 0 ? 0 : Number.isNaN(value) ? Number.NaN : value;
    this.word(this.u32[0]!);
    this.word(this.u32[1]!);
    this.word(0x20001);
  }

  /** Adds a missing value. */
  addNull(): void {
    this.word(0x30001);
  }

  /** The 52-bit hash of the values added since {@link reset}, an integer in [0, 2^52). */
  digest(): number {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 & 0xfffff) * 4294967296 + (h1 >>> 0);
  }

  private word(w: number): void {
    // cyrb53 reads 16-bit char codes; a number's words are 32-bit, and a multiply carries a
    // difference only upwards: without folding the high half down, two sign flips (bit 31)
    // cancel, and rows (a, b) and (-a, -b) hashed equal.
    const h1 = Math.imul(this.h1 ^ w, 2654435761);
    const h2 = Math.imul(this.h2 ^ w, 1597334677);
    this.h1 = h1 ^ (h1 >>> 15);
    this.h2 = h2 ^ (h2 >>> 15);
  }
}
