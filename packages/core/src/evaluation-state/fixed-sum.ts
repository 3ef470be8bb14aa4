/** Units of the high limb: 2⁻²⁰. */
const HI = 2 ** 20;
/** Low-limb units per high-limb unit: the low limb counts 2⁻⁵². */
const LO = 2 ** 32;

/**
 * Adds a non-negative term below 64 to the two-limb fixed-point sum at `data[o]`, `data[o + 1]`:
 * `data[o]` counts whole 2⁻²⁰ and `data[o + 1]` the remainder in 2⁻⁵², both as integers held
 * exactly in doubles. Integer addition is associative, so a sum is the same bit for bit whatever
 * order or shard its rows came in — which floating-point addition is not. The term itself is
 * rounded to 2⁻⁵² (below the rounding of any double ≥ 1, and 2⁻⁵² absolute for smaller ones).
 *
 * @example
 * const d = new Float64Array(2);
 * addFixed(d, 0, 0.1);
 * fixedValue(d, 0); // 0.1
 */
export function addFixed(data: Float64Array, o: number, term: number): void {
  const scaled = term * HI;
  const hi = Math.floor(scaled);
  data[o]! += hi;
  data[o + 1]! += Math.round((scaled - hi) * LO);
}

/**
 * Carries whole high-limb units out of the low limb, so that it stays below 2³² and keeps room
 * for 2²⁰ more terms. A normalised pair is unique, so equal sums serialise identically.
 *
 * @example
 * const d = Float64Array.of(0, 2 ** 33);
 * normalizeFixed(d, 0); // d = [2, 0]
 */
export function normalizeFixed(data: Float64Array, o: number): void {
  const carry = Math.floor(data[o + 1]! / LO);
  if (carry === 0) return;
  data[o]! += carry;
  data[o + 1]! -= carry * LO;
}

/**
 * The value of a two-limb sum, rounded once to a double.
 *
 * @example
 * fixedValue(Float64Array.of(2 ** 20, 2 ** 31), 0); // 1.0000004768371582 (1 + 2⁻²¹)
 */
export function fixedValue(data: Float64Array, o: number): number {
  return (data[o]! + data[o + 1]! / LO) / HI;
}

/** Rows a cell may hold before its high limb could pass 2⁵³ (terms below 64 = 2⁶): 2²⁷. */
export const FIXED_MAX_ROWS = 2 ** 27;
/** Terms added to a low limb between two normalisations, at most. */
export const FIXED_BATCH = 2 ** 20;
