import { assertCounts } from "./category-counts.js";
import { type Measurement, measured, notMeasured } from "./measurement.js";

/**
 * Jensen–Shannon distance between two histograms over the same bins, as
 * `scipy.spatial.distance.jensenshannon(p, q, base)`: each histogram is normalised to sum 1, then
 * `sqrt((KL(p‖m) + KL(q‖m)) / 2)` with `m = (p + q) / 2`, logarithms in `base`. With the default
 * base 2 it lies in [0, 1] (SciPy's default is the natural logarithm; pass `Math.E` for that).
 * Symmetric, bounded and defined when a bin is empty on one side, which makes it the default for
 * categories.
 *
 * Degenerate cases: a histogram summing to 0 gives `null` with a reason; rounding can make the
 * divergence a hair below 0, which is returned as distance 0 (SciPy would return `NaN`).
 *
 * https://en.wikipedia.org/wiki/Jensen%E2%80%93Shannon_divergence
 *
 * @example
 * jensenShannonDistance([1, 0], [0, 1]); // { value: 1 }
 * jensenShannonDistance([1, 0, 0], [1, 1, 0]); // { value: 0.5579230452841438 }
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): Measurement {
  if (p.length !== q.length)
    throw new RangeError(`jensenShannonDistance: ${p.length} bins against ${q.length}`);
  if (!(base > 0 && base !== 1))
    throw new RangeError(`jensenShannonDistance: base must be > 0 and != 1, got ${base}`);
  assertCounts(p, "p");
  assertCounts(q, "q");
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  if (sp === 0) return notMeasured("the first histogram is empty");
  if (sq === 0) return notMeasured("the second histogram is empty");
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) js += pi * Math.log(pi / m);
    if (qi > 0) js += qi * Math.log(qi / m);
  }
  js /= Math.log(base);
  return measured(Math.sqrt(Math.max(0, js / 2)));
}
