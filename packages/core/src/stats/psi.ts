import { assertCounts } from "./category-counts.js";
import { type Measurement, measured, notMeasured } from "./measurement.js";

/**
 * Proportion floor applied to empty bins by {@link psi}: a bin empty on one side and holding share
 * `s` on the other contributes about `s · ln(s / 0.0001)` (≈ 0.69 for `s = 0.1`) instead of
 * infinity. 0.0001 is the floor most PSI implementations use, so scores stay comparable.
 */
export const PSI_EPSILON = 1e-4;

/**
 * Population stability index between an expected (reference) and an actual (current) histogram
 * over the same bins: `Σ (aᵢ - eᵢ) · ln(aᵢ / eᵢ)` over bin proportions, each proportion floored at
 * `epsilon` ({@link PSI_EPSILON}) so empty bins contribute a large but finite amount. Counts or
 * proportions may be passed; each side is normalised to sum 1 first. Conventional reading:
 * below 0.1 stable, 0.1–0.25 moderate shift, above 0.25 major shift.
 *
 * Degenerate cases: a histogram summing to 0 gives `null` with a reason.
 *
 * https://www.listendata.com/2015/05/population-stability-index.html ·
 * Yurdakul, B., "Statistical properties of population stability index", 2018
 *
 * @example
 * psi([50, 50], [40, 60]); // { value: 0.040546510810816436 } = (0.4 - 0.5)·ln(0.8) + (0.6 - 0.5)·ln(1.2)
 */
export function psi(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  epsilon = PSI_EPSILON,
): Measurement {
  if (expected.length !== actual.length)
    throw new RangeError(`psi: ${expected.length} bins against ${actual.length}`);
  assertCounts(expected, "expected");
  assertCounts(actual, "actual");
  let se = 0;
  let sa = 0;
  for (let i = 0; i < expected.length; i++) {
    se += expected[i]!;
    sa += actual[i]!;
  }
  if (se === 0) return notMeasured("the expected histogram is empty");
  if (sa === 0) return notMeasured("the actual histogram is empty");
  let total = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]! / se, epsilon);
    const a = Math.max(actual[i]! / sa, epsilon);
    total += (a - e) * Math.log(a / e);
  }
  return measured(total);
}
