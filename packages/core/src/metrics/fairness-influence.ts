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
