import { type Measurement, measured, notMeasured } from "./measurement.js";

/**
 * Change in a column's share of missing values from the reference to the current data, in
 * absolute terms (`current - reference`, so 0.02 → 0.07 is +0.05): what matters to a model is the
 * share of rows it now scores with imputed inputs, and an absolute change reads the same for rare
 * and common nulls.
 *
 * Degenerate case: a rate that could not be measured (`null`, `NaN`: no rows) gives `null` with a
 * reason.
 *
 * https://en.wikipedia.org/wiki/Missing_data
 *
 * @example
 * nullRateChange(0.02, 0.07); // { value: 0.05 } (up to rounding: 0.05000000000000001)
 */
export function nullRateChange(refNullRate: number | null, curNullRate: number | null): Measurement {
  if (refNullRate === null || Number.isNaN(refNullRate))
    return notMeasured("the reference null rate is unknown");
  if (curNullRate === null || Number.isNaN(curNullRate))
    return notMeasured("the current null rate is unknown");
  for (const rate of [refNullRate, curNullRate]) {
    if (rate < 0 || rate > 1) throw new RangeError(`nullRateChange: a rate must lie in [0, 1], got ${rate}`);
  }
  return measured(curNullRate - refNullRate);
}
