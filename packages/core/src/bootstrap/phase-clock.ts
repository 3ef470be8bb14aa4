/**
 * Where an evaluation's bootstrap time goes: a clock, and the milliseconds spent so far drawing
 * replicates and turning them into intervals. Passed in by the caller, so the result stays free of
 * timings (two runs of the same rows give equal results).
 */
export interface PhaseClock {
  now(): number;
  bootstrapMs: number;
}

/**
 * Runs `work`, adding its time to `clock.bootstrapMs` (when there is a clock).
 *
 * @example
 * const clock = { now: () => performance.now(), bootstrapMs: 0 };
 * const draws = inBootstrap(clock, () => cellBootstrap(input));
 * clock.bootstrapMs; // e.g. 412.5
 */
export function inBootstrap<T>(clock: PhaseClock | undefined, work: () => T): T {
  if (!clock) return work();
  const started = clock.now();
  try {
    return work();
  } finally {
    clock.bootstrapMs += clock.now() - started;
  }
}
