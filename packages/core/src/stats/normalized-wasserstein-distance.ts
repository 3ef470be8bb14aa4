import { type Measurement, measured, notMeasured } from "./measurement.js";
import { wassersteinDistance } from "./wasserstein-distance.js";

/**
 * The {@link wassersteinDistance} from a reference sample `u` to a current sample `v`, divided by
 * the reference's (weighted, population, `ddof = 0`) standard deviation: "by how many reference
 * standard deviations has the distribution moved". A shift of the whole distribution by `k`
 * standard deviations scores `k`, whatever the column's units, so one threshold fits every column.
 *
 * Why the standard deviation and not the IQR: the IQR is 0 for zero-inflated columns (counts,
 * amounts, flags), where most rows share one value, while the standard deviation is 0 only for a
 * constant column — and then the IQR is 0 too, so it is no fallback. Pass `scale` to divide by a
 * spread you already know (a profile's exact standard deviation when the distance comes from
 * sketches).
 *
 * Degenerate cases: as {@link wassersteinDistance}; a constant reference (scale 0) gives 0 when the
 * current sample equals it exactly and `null` with a reason otherwise (any change is infinitely
 * many standard deviations; compare such columns on bins, e.g. with `psi`).
 *
 * https://en.wikipedia.org/wiki/Wasserstein_metric
 *
 * @example
 * normalizedWassersteinDistance([0, 2], [1, 3]); // { value: 1 } (distance 1, reference std 1)
 */
export function normalizedWassersteinDistance(
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  options: {
    uWeights?: ArrayLike<number>;
    vWeights?: ArrayLike<number>;
    scale?: number;
    /** `wassersteinDistance(u, v, uWeights, vWeights)`, when the caller has it already. */
    distance?: Measurement;
  } = {},
): Measurement {
  const distance = options.distance ?? wassersteinDistance(u, v, options.uWeights, options.vWeights);
  if (distance.value === null) return distance;
  const scale = options.scale ?? weightedStd(u, options.uWeights);
  if (scale > 0 && Number.isFinite(scale)) return measured(distance.value / scale);
  if (distance.value === 0) return measured(0);
  return notMeasured("the reference is constant, so a distance relative to its spread is undefined");
}

function weightedStd(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let total = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const w = weights ? weights[i]! : 1;
    if (Number.isNaN(x) || w === 0) continue;
    // West's weighted Welford update.
    total += w;
    const delta = x - mean;
    mean += (w / total) * delta;
    m2 += w * delta * (x - mean);
  }
  return total > 0 ? Math.sqrt(Math.max(0, m2 / total)) : 0;
}
