import { scoreBin } from "./score-tally.js";

/**
 * Served class probabilities counted for the multiclass estimate: `"j:k:b"` → rows predicted class
 * `j` (the most probable) whose probability of class `k` falls in score bin `b` (the binary tally's
 * 1/4096 grid). Whole counts, so shards merge exactly by adding them.
 */
export type ClassProbabilityCounts = Record<string, number>;

/**
 * Counts one served row's class probabilities (in the model's class order) into `counts`; the
 * predicted class is the most probable (the first of ties). A row with a probability that is not a
 * number in [0, 1] is left out (returns `false`).
 *
 * @example
 * const counts = {};
 * addClassProbabilities(counts, [0.7, 0.2, 0.1]); // true
 * counts; // { "0:0:2867": 1, "0:1:819": 1, "0:2:409": 1 }
 */
export function addClassProbabilities(
  counts: ClassProbabilityCounts,
  probabilities: ArrayLike<number>,
): boolean {
  let predicted = 0;
  for (let k = 0; k < probabilities.length; k++) {
    const p = probabilities[k]!;
    if (!(p >= 0 && p <= 1)) return false;
    if (p > probabilities[predicted]!) predicted = k;
  }
  for (let k = 0; k < probabilities.length; k++) {
    const key = `${predicted}:${k}:${scoreBin(probabilities[k]!)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return true;
}

/**
 * The sum of two windows' (or shards') {@link ClassProbabilityCounts}.
 *
 * @example
 * mergeClassProbabilityCounts({ "0:0:10": 1 }, { "0:0:10": 2, "1:0:3": 1 }); // { "0:0:10": 3, "1:0:3": 1 }
 */
export function mergeClassProbabilityCounts(
  a: ClassProbabilityCounts,
  b: ClassProbabilityCounts,
): ClassProbabilityCounts {
  const out = { ...a };
  for (const [key, n] of Object.entries(b)) out[key] = (out[key] ?? 0) + n;
  return out;
}
