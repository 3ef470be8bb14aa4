/**
 * A growable array of doubles: typed storage, so ten million latencies take 80 MB rather than a
 * JS array's several times that.
 *
 * @example
 * const d = new GrowableDoubles(); d.push(3); d.push(1); d.finish(); // Float64Array [3, 1]
 */
export class GrowableDoubles {
  private values = new Float64Array(256);
  length = 0;
  push(x: number): void {
    if (this.length === this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = x;
  }
  /** A copy of the values pushed so far, in push order. */
  finish(): Float64Array {
    return this.values.slice(0, this.length);
  }
}
