/**
 * The result of a statistic that may be undefined for the data it was given.
 *
 * Every statistic in `stats/` defines its degenerate cases the same way: when the data make the
 * statistic undefined (an empty sample, a zero total, a constant reference to normalise by), it
 * returns `value: null` with a one-line `reason`, never `NaN` and never an exception. Exceptions
 * are kept for programming mistakes (arrays of different lengths, negative weights).
 *
 * @example
 * const m: Measurement = { value: null, reason: "the current sample is empty" };
 */
export type Measurement = { value: number; reason?: undefined } | { value: null; reason: string };

/**
 * A defined {@link Measurement}.
 *
 * @example
 * measured(0.25); // { value: 0.25 }
 */
export function measured(value: number): Measurement {
  return { value };
}

/**
 * An undefined {@link Measurement} with the reason why.
 *
 * @example
 * notMeasured("the reference sample is empty"); // { value: null, reason: "the reference sample is empty" }
 */
export function notMeasured(reason: string): Measurement {
  return { value: null, reason };
}
