import { normalQuantile } from "../stats/normal.js";

/**
 * How far (in standard errors of their difference) the highest group must lie above the next, and
 * the lowest below the next, before a gap takes the delta method. Closer than that, which group is
 * highest is itself uncertain: `max − min` is not differentiable there, its plug-in value is biased
 * upward and a first-order interval centred on it undercovers, so the gap stays on the bootstrap.
 * At 3 standard errors the selection is wrong with probability ≈ 0.1% and the bias of the plug-in
 * maximum is under 0.001 standard errors (E max(X₁, X₂) − max(μ₁, μ₂) = s·φ(d/s) − d·Φ(−d/s)).
 */
export const GAP_SEPARATION = 3;

/** A rate of one group and its first-order variance (Σᵢ ψᵢ² over the group's rows). */
export interface GroupRate {
  value: number;
  variance: number;
}

/** A value with the standard error of its delta-method expansion; `clear` as in {@link gapMoments}. */
export interface DeltaValue {
  value: number;
  se: number;
  /** Whether the highest and lowest groups are `GAP_SEPARATION` standard errors clear of the next. */
  clear: boolean;
}

/** The gap and ratio of rates across groups, each with its delta-method standard error. */
export interface SpreadMoments {
  gap: DeltaValue;
  ratio: DeltaValue;
}

/**
 * The gap highest − lowest and the ratio lowest / highest of rates measured in disjoint groups,
 * with their first-order standard errors (`undefined` for fewer than two groups), and whether the
 * highest and the lowest group are each `GAP_SEPARATION` standard errors clear of the next one
 * (`clear`: only then is the expansion about those two groups valid).
 *
 * Each group's rate has influence ψᵢ on its own rows and none elsewhere (the groups are values of
 * one column), so with hi and lo the highest and lowest groups the gap's influence is
 * ψᵢ(hi) − ψᵢ(lo) and its variance var(hi) + var(lo); the ratio's is ψᵢ(lo)/hi − lo·ψᵢ(hi)/hi²,
 * variance var(lo)/hi² + lo²·var(hi)/hi⁴ (the delta method; van der Vaart 1998, "Asymptotic
 * Statistics", §3.1). Rates are not negative, so a highest rate clear of the lowest is above 0.
 *
 * @example
 * gapMoments([{ value: 0.2, variance: 1e-4 }, { value: 0.3, variance: 1e-4 }, { value: 0.45, variance: 1e-4 }]);
 * // { gap: { value: 0.25, se: 0.01414, clear: true }, ratio: { value: 0.444, se: 0.0243, clear: true } }
 */
export function gapMoments(rates: readonly GroupRate[]): SpreadMoments | undefined {
  if (rates.length < 2) return undefined;
  const sorted = [...rates].sort((a, b) => a.value - b.value);
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const clear = (a: GroupRate, b: GroupRate) =>
    b.value - a.value > GAP_SEPARATION * Math.sqrt(a.variance + b.variance);
  // With two groups the gap is |difference|, smooth away from 0: one check covers both ends.
  const both = clear(sorted[sorted.length - 2]!, hi) && clear(lo, sorted[1]!);
  const ratio = lo.value / hi.value;
  return {
    gap: { value: hi.value - lo.value, se: Math.sqrt(hi.variance + lo.variance), clear: both },
    ratio: {
      value: ratio,
      se: Math.sqrt(lo.variance / hi.value ** 2 + (ratio * ratio * hi.variance) / hi.value ** 2),
      clear: both && hi.value > 0,
    },
  };
}

/**
 * Equalized odds' gap is the larger of its rates' gaps and its ratio the smaller of their ratios:
 * the one picked, when it is itself `clear` and `GAP_SEPARATION` standard errors clear of the other
 * (their influences live on the positives and the negatives, disjoint rows, so their variances add),
 * else `undefined`. The other need not be clear: a near tie inflates its plug-in gap (and deflates
 * its ratio), so one clear of it is clear of its true value too.
 *
 * @example
 * pickClear([{ value: 0.25, se: 0.01, clear: true }, { value: 0.05, se: 0.01, clear: false }], "larger");
 * // { value: 0.25, se: 0.01, clear: true }
 */
export function pickClear(
  values: readonly DeltaValue[],
  which: "larger" | "smaller",
): DeltaValue | undefined {
  const sorted = [...values].sort((a, b) => (which === "larger" ? b.value - a.value : a.value - b.value));
  const [first, second] = sorted;
  if (!first?.clear) return undefined;
  if (second && Math.abs(first.value - second.value) <= GAP_SEPARATION * Math.hypot(first.se, second.se))
    return undefined;
  return first;
}

/** One pair of groups' difference of one rate, with the standard error of that difference. */
export interface PairDifference {
  /** The rate compared (equalized odds has two). */
  rate: string;
  /** The two groups, as named in the report. */
  groups: [string, string];
  /** p_g − p_h. */
  difference: number;
  /** √(var p_g + var p_h): the groups are disjoint rows, so their estimates are independent. */
  se: number;
}

/** What decided a `max-gap` rule with confidence: the largest simultaneous lower bound of |p_g − p_h|. */
export interface PairwiseDecision {
  method: string;
  /** The joint confidence the bounds hold at. */
  level: number;
  /** How many comparisons share it: pairs × rates × the report's fairness rules with confidence. */
  comparisons: number;
  /** The largest lower bound of |p_g − p_h| over the pairs and rates: the rule fails when it is above `max-gap`. */
  bound: number;
  /** Where that bound is: the rate, and the pair with the higher rate first (by name when equal). */
  rate: string;
  groups: [string, string];
}

/**
 * The decision of a `max-gap` rule with confidence, tested pair by pair. The true gap
 * max_g p_g − min_h p_h exceeds L exactly when some pair of groups (and, for equalized odds, one of
 * its two rates) has |p_g − p_h| > L, so "gap > L" is the union of the pairwise hypotheses and
 * "gap ≤ L" their intersection (a union–intersection test, Roy 1953; Casella & Berger,
 * "Statistical Inference", §8.2.3): the rule fails when some pair's two-sided interval
 * d ± z·se lies wholly outside [−L, L], i.e. its lower bound |d| − z·se of |p_g − p_h| is above L.
 * With z = Φ⁻¹(1 − α / (2m)) over the m = pairs × rates × `family` comparisons (Bonferroni) and
 * α = 1 − level, whenever the true gap is ≤ L the chance that any pair of any rule crosses is at
 * most α, whatever the groups' rates (ties included: no max − min enters, so nothing is biased
 * upward). Unlike the percentile interval of max − min, whose low end sits above 0 when the groups
 * are equal, this fails a fair model at no more than 1 − level.
 *
 * @example
 * pairwiseDecision([{ rate: "selection_rate", groups: ["AE", "SA"], difference: 0.1, se: 0.02 }], 0.95, 1);
 * // { method: "pairwise lower bound, Bonferroni over 1 comparison", level: 0.95, comparisons: 1,
 * //   bound: 0.0608 (0.1 − 1.95996 × 0.02), rate: "selection_rate", groups: ["AE", "SA"] }
 */
export function pairwiseDecision(
  pairs: readonly PairDifference[],
  level: number,
  family: number,
): PairwiseDecision | undefined {
  if (pairs.length === 0 || pairs.some((p) => !Number.isFinite(p.difference) || !Number.isFinite(p.se)))
    return undefined;
  const comparisons = pairs.length * Math.max(1, family);
  const z = normalQuantile(1 - (1 - level) / (2 * comparisons));
  let best: PairDifference = pairs[0]!;
  let bound = Number.NEGATIVE_INFINITY;
  for (const p of pairs) {
    const b = Math.abs(p.difference) - z * p.se;
    if (b > bound) {
      bound = b;
      best = p;
    }
  }
  return {
    method: `pairwise lower bound, Bonferroni over ${comparisons} comparison${comparisons === 1 ? "" : "s"}`,
    level,
    comparisons,
    bound,
    rate: best.rate,
    groups: higherFirst(best),
  };
}

/**
 * A pair's groups with the higher rate first, and by name when the rates are equal: the same pair
 * reads the same whichever group the rows showed first (a row of weight 0 can change that order).
 */
function higherFirst(pair: PairDifference): [string, string] {
  const [g, h] = pair.groups;
  if (pair.difference < 0 || (pair.difference === 0 && h < g)) return [h, g];
  return [g, h];
}
