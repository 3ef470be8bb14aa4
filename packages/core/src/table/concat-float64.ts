/**
 * The parts joined end to end in one new array.
 *
 * @example
 * concatFloat64([Float64Array.of(1, 2), Float64Array.of(3)]); // Float64Array [1, 2, 3]
 */
export function concatFloat64(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
