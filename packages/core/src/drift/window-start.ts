/**
 * The start (epoch ms, UTC) of the window of width `widthMs` holding `timeMs`. Windows are aligned
 * to the Unix epoch, so a `1d` window is a UTC calendar day and the same row falls in the same
 * window whichever run or shard reads it.
 *
 * @example
 * windowStart(Date.parse("2025-06-01T17:30:00Z"), 86_400_000); // Date.parse("2025-06-01T00:00:00Z")
 */
export function windowStart(timeMs: number, widthMs: number): number {
  if (!(widthMs > 0)) throw new RangeError(`window width must be positive, got ${widthMs}`);
  return Math.floor(timeMs / widthMs) * widthMs;
}
