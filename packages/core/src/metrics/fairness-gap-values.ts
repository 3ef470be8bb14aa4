import { percentileInterval } from "../bootstrap/percentile-interval.js";
import { normalQuantile } from "../stats/normal.js";

/** A value with its bootstrap interval, as a metric is recorded. */
export interface GapValue {
  value: number | null;
  ci: [number, number] | null;
  /**
   * With a `fairness:` rule that asks for `confidence`: the percentile interval at the level
   * adjusted for every such rule of the report (see `FairnessGap.adjustment`); `null` when
   * the replicates cannot carry it.
   */
  ciAdjusted?: [number, number] | null;
  reason?: string;
  /**
   * `gaussian` when the interval is the delta method's (see `fairnessGaps`); absent when it
   * is the bootstrap's percentile interval.
   */
  intervals?: "gaussian";
}

/**
 * How `ciAdjusted` holds across the report: Bonferroni over the `family` fairness rules that ask
 * for confidence, so each is the percentile interval at `1 − (1 − level) / family`, and all of them
 * cover their true gap or ratio together with probability at least `level`.
 */
export interface FairnessAdjustment {
  method: "bonferroni";
  /** The joint level: the highest `confidence` a rule on this comparison asks for. */
  level: number;
  /** How many fairness rules of the report ask for confidence. */
  family: number;
  /** The level of each interval: `1 − (1 − level) / family`. */
  perInterval: number;
}

/** A gap or ratio of rates by the delta method: value ± z·se cut to [0, 1], at each level asked for. */
export function deltaValue(
  moments: { value: number; se: number },
  confidence: number,
  adjustment: FairnessAdjustment | undefined,
): GapValue {
  const at = (level: number): [number, number] => {
    const half = normalQuantile((1 + level) / 2) * moments.se;
    return [Math.max(0, moments.value - half), Math.min(1, moments.value + half)];
  };
  return {
    value: moments.value,
    ci: at(confidence),
    ...(adjustment ? { ciAdjusted: at(adjustment.perInterval) } : {}),
    intervals: "gaussian",
  };
}

/**
 * A gap or ratio with the bootstrap's percentile interval of its `replicates` (and `ciAdjusted` at
 * the adjustment's level), each widened to the point; `reason` says why there is no value or
 * interval (`why` when the point is undefined).
 */
export function gapValue(
  point: number,
  replicates: Float64Array,
  input: { replicates: number; confidence: number },
  why: string,
  adjustment: FairnessAdjustment | undefined,
  drawn: boolean,
): GapValue {
  const adjusted = adjustment ? { ciAdjusted: null } : {};
  if (Number.isNaN(point)) return { value: null, ci: null, ...adjusted, reason: why };
  if (input.replicates === 0 || !drawn) return { value: point, ci: null, ...adjusted };
  // Widened to the point, as every metric's interval (see assembleEvaluation).
  const widened = (ci: [number, number]): [number, number] => [
    Math.min(ci[0], point),
    Math.max(ci[1], point),
  ];
  const interval = percentileInterval(replicates, input.confidence);
  const joint = adjustment ? percentileInterval(replicates, adjustment.perInterval) : undefined;
  const extra = joint ? { ciAdjusted: joint.ci ? widened(joint.ci) : null } : {};
  if (!interval.ci) return { value: point, ci: null, ...extra, reason: `no interval: ${interval.reason}` };
  return { value: point, ci: widened(interval.ci), ...extra };
}
