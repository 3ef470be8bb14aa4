import { type Measurement, measured, notMeasured } from "./measurement.js";

/**
 * Share of the current rows whose category never occurred in the reference: values a model has
 * not seen in training or in the production reference, often a pipeline change upstream.
 *
 * `refCategories` is the reference's known values (a profile's counted values). When the
 * reference's value list was capped, rare reference values may be missing from it, so the share is
 * then an upper bound. Degenerate case: an empty current sample gives `null` with a reason.
 *
 * https://en.wikipedia.org/wiki/Categorical_variable
 *
 * @example
 * unseenShare(["AE", "SA"], { AE: 6, SA: 2, QA: 2 }); // { value: 0.2 }
 */
export function unseenShare(
  refCategories: Iterable<string>,
  curCounts: Readonly<Record<string, number>> | ReadonlyMap<string, number>,
): Measurement {
  const known = new Set(refCategories);
  const entries = curCounts instanceof Map ? [...curCounts] : Object.entries(curCounts);
  let total = 0;
  let unseen = 0;
  for (const [value, count] of entries) {
    total += count;
    if (!known.has(value)) unseen += count;
  }
  if (total === 0) return notMeasured("the current sample is empty");
  return measured(unseen / total);
}
