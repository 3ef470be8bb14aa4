import type { RowPass } from "../metrics/binary-pass.js";

/**
 * Runs a pass once with `weights` (`null` = all 1), maybe on another thread, and gives the
 * function that returns its tally (`groups × tallySize` numbers, as `RowPass.run` writes them).
 */
export type TallyRunner = (pass: RowPass, weights: Float64Array | null) => () => Float64Array;

/**
 * The {@link TallyRunner} of this thread: runs the pass now.
 *
 * @example
 * const tally = tallyHere(pass, null)(); // pass.run(null, tally)
 */
export const tallyHere: TallyRunner = (pass, weights) => {
  const tally = new Float64Array(pass.groups * pass.tallySize);
  pass.run(weights, tally);
  return () => tally;
};

/**
 * Prepares each model's pass in order and runs it once for the point values: every model's run
 * but the last goes to `runner` (e.g. a worker thread, `tallyThreads`) as soon as its pass is
 * prepared, while this thread prepares the next pass (a sort of the rows); the last runs here.
 * A run reads only its pass and the weights, so the tallies are the same wherever it runs.
 *
 * @example
 * const { passes, tallies } = pointTallies([() => prepare(scores), () => prepare(baselineScores)], null);
 */
export function pointTallies(
  models: readonly (() => RowPass)[],
  weights: Float64Array | null,
  runner: TallyRunner = tallyHere,
): { passes: RowPass[]; tallies: Float64Array[] } {
  const passes: RowPass[] = [];
  const pending = models.map((prepare, m) => {
    const pass = prepare();
    passes.push(pass);
    return (m < models.length - 1 ? runner : tallyHere)(pass, weights);
  });
  return { passes, tallies: pending.map((tally) => tally()) };
}
