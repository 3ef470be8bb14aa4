import type { CheckStatus } from "../results/check.js";
import { type BehaviourExample, type BehaviourMeasure, MAX_EXAMPLES } from "./behaviour-result.js";

/**
 * The worst `MAX_EXAMPLES` of `candidates` by `badness` (largest first), built lazily so only the
 * kept ones pay for their inputs.
 *
 * @example
 * worstExamples([0, 3, 1], (i) => spread[i]!, (i) => ({ inputs: {}, score: 0.5, note: "" }));
 */
export function worstExamples(
  candidates: readonly number[],
  badness: (i: number) => number,
  build: (i: number) => BehaviourExample,
): BehaviourExample[] {
  return [...candidates]
    .sort((a, b) => badness(b) - badness(a) || a - b)
    .slice(0, MAX_EXAMPLES)
    .map(build);
}

/**
 * A measure that holds `value` to at most `limit`: `fail` over it, else `pass`; `skip` when
 * nothing was judged.
 *
 * @example
 * atMost({ value: 0.03, limit: 0.02, failures: 3, judged: 100, reason: "…", examples: [] }).status; // "fail"
 */
export function atMost(m: Omit<BehaviourMeasure, "status"> & { limit: number | null }): BehaviourMeasure {
  const { limit, ...rest } = m;
  let status: CheckStatus = "pass";
  if (m.judged === 0 || m.value === null) status = "skip";
  else if (limit !== null && m.value > limit) status = "fail";
  return { ...rest, status };
}

/**
 * A share as a percentage with one decimal (two below 0.1%), trailing zeros dropped.
 *
 * @example
 * percent(0.025); // "2.5%"
 * percent(0.0004); // "0.04%"
 */
export const percent = (share: number) =>
  `${(share * 100).toFixed(share < 0.001 && share > 0 ? 2 : 1).replace(/\.0+$/, "")}%`;

/**
 * A score with three decimals, or "no score" for NaN.
 *
 * @example
 * scoreText(0.41234); // "0.412"
 */
export const scoreText = (score: number | null) =>
  score === null || Number.isNaN(score) ? "no score" : score.toFixed(3);
