import { normalQuantile } from "../stats/normal.js";
import { maxTCritical } from "./fairness-max-t.js";

/** One rate a `max-gap` rule compares (equalized odds has two): each group's value and standard error. */
export interface RateGroups {
  rate: string;
  groups: { group: string; value: number; se: number }[];
}

/** What decided a `max-gap` rule with confidence: the largest simultaneous lower bound of |p_g − p_h|. */
export interface PairwiseDecision {
  method: string;
  /** How the bounds are made simultaneous: max-T over the rule's pairs and rates (see `maxTCritical`). */
  adjustment: "max-t";
  /** The joint confidence the bounds of all the report's such rules hold at. */
  level: number;
  /** The report's fairness rules with confidence: each rule's bounds hold at 1 − (1 − level) / family. */
  family: number;
  /** How many comparisons share the level: pairs × rates × `family`. */
  comparisons: number;
  /** The `max-gap` the critical value was computed for; it holds for every larger limit too. */
  limit: number;
  /** The critical value z of every pair's bound |p_g − p_h| − z·se. */
  critical: number;
  /** Bonferroni's z over the same comparisons, for comparison: Φ⁻¹(1 − (1 − level) / 2·comparisons). */
  bonferroni: number;
  /** The largest lower bound of |p_g − p_h| over the pairs and rates: the rule fails when it is above `max-gap`. */
  bound: number;
  /** Where that bound is: the rate, and the pair with the higher rate first (by name when equal). */
  rate: string;
  groups: [string, string];
  /** What the bounds were computed from, so that a rule with another limit can recompute them. */
  rates: RateGroups[];
}

/**
 * The decision of a `max-gap` rule with confidence, tested pair by pair. The true gap
 * max_g p_g − min_h p_h exceeds L exactly when some pair of groups (and, for equalized odds, one of
 * its two rates) has |p_g − p_h| > L, so "gap > L" is the union of the pairwise hypotheses and
 * "gap ≤ L" their intersection (a union–intersection test, Roy 1953; Casella & Berger,
 * "Statistical Inference", §8.2.3): the rule fails when some pair's lower bound |d| − z·se of
 * |p_g − p_h| is above L, se = √(se_g² + se_h²) (disjoint rows: independent estimates). z is the
 * max-T critical value of the rule's pairs and rates at its limit (`maxTCritical`: their joint
 * normal law, the least favourable true rates with gap ≤ L) at α = (1 − level) / `family`
 * (Bonferroni over the report's fairness rules with confidence), so whenever every true gap is
 * ≤ its limit the chance that any rule fails is at most 1 − level, whatever the groups' rates
 * (ties included: no max − min enters, so nothing is biased upward). It is at most the Bonferroni
 * z over pairs × rates × rules that decided before (recorded as `bonferroni`).
 *
 * @example
 * pairwiseDecision([{ rate: "selection_rate", groups: [{ group: "AE", value: 0.3, se: 0.01 }, { group: "SA", value: 0.2, se: 0.01 }] }], 0.95, 1, 0.05);
 * // { method: "pairwise lower bound, max-T over 1 pair at max-gap 0.05", adjustment: "max-t", level: 0.95,
 * //   family: 1, comparisons: 1, limit: 0.05, critical: 1.6452, bonferroni: 1.96, bound: 0.0767 (0.1 − 1.6452 × 0.01414),
 * //   rate: "selection_rate", groups: ["AE", "SA"], rates: [...] }
 */
export function pairwiseDecision(
  rates: readonly RateGroups[],
  level: number,
  family: number,
  limit: number,
): PairwiseDecision | undefined {
  // Groups by name: the same groups give the same record whichever the rows showed first.
  const compared = rates
    .filter((r) => r.groups.length >= 2)
    .map((r) => ({
      rate: r.rate,
      groups: r.groups
        .map((g) => ({ ...g }))
        .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0)),
    }));
  const values = compared.flatMap((r) => r.groups.flatMap((g) => [g.value, g.se]));
  if (compared.length === 0 || values.some((v) => !Number.isFinite(v))) return undefined;
  const rules = Math.max(1, family);
  const alpha = (1 - level) / rules;
  const pairs = compared.reduce((sum, r) => sum + (r.groups.length * (r.groups.length - 1)) / 2, 0);
  const critical = maxTCritical(
    compared.map((r) => r.groups.map((g) => g.se)),
    alpha,
    Math.max(0, limit),
  );
  let bound = Number.NEGATIVE_INFINITY;
  let best: { rate: string; groups: [string, string] } = { rate: "", groups: ["", ""] };
  for (const r of compared) {
    for (let a = 0; a < r.groups.length; a++) {
      for (let b = a + 1; b < r.groups.length; b++) {
        const g = r.groups[a]!;
        const h = r.groups[b]!;
        const lower = Math.abs(g.value - h.value) - critical * Math.hypot(g.se, h.se);
        if (lower > bound) {
          bound = lower;
          best = { rate: r.rate, groups: higherFirst(g, h) };
        }
      }
    }
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  // Pairs per rate when the rates compare the same number of groups, else the pairs of all rates.
  const perRate = compared.map((r) => (r.groups.length * (r.groups.length - 1)) / 2);
  const over =
    compared.length === 1
      ? plural(pairs, "pair")
      : perRate.every((p) => p === perRate[0])
        ? `${plural(perRate[0]!, "pair")} × ${compared.length} rates`
        : `${plural(pairs, "pair")} of ${compared.length} rates`;
  return {
    method: `pairwise lower bound, max-T over ${over} at max-gap ${Math.max(0, limit)}${rules > 1 ? `, Bonferroni over ${rules} rules` : ""}`,
    adjustment: "max-t",
    level,
    family: rules,
    comparisons: pairs * rules,
    limit: Math.max(0, limit),
    critical,
    bonferroni: normalQuantile(1 - (1 - level) / (2 * pairs * rules)),
    bound,
    ...best,
    rates: compared,
  };
}

/**
 * A pair's groups with the higher rate first, and by name when the rates are equal: the same pair
 * reads the same whichever group the rows showed first (a row of weight 0 can change that order).
 */
function higherFirst(
  g: { group: string; value: number },
  h: { group: string; value: number },
): [string, string] {
  if (g.value < h.value || (g.value === h.value && h.group < g.group)) return [h.group, g.group];
  return [g.group, h.group];
}
