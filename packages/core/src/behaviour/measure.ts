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

/**
 * The measure of a test that must hold on every case (known cases, edge values): skipped with
 * `reasons.none` when there is no case, else the number of failing cases, failing on any.
 *
 * @example
 * everyCase(25, 1, { none: "no cases", pass: "all pass", fail: "1 of 25 fail" }, examples);
 * // { status: "fail", value: 1, failures: 1, judged: 25, reason: "1 of 25 fail", examples }
 */
export function everyCase(
  judged: number,
  failures: number,
  reasons: { none: string; pass: string; fail: string },
  examples: BehaviourExample[],
): BehaviourMeasure {
  return {
    status: judged === 0 ? "skip" : failures > 0 ? "fail" : "pass",
    value: judged === 0 ? null : failures,
    failures,
    judged,
    reason: judged === 0 ? reasons.none : failures === 0 ? reasons.pass : reasons.fail,
    examples,
  };
}
