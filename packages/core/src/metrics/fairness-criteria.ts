import type { MetricName } from "../manifest/metric-names.js";

/**
 * The named fairness criteria and the per-group metrics they compare: demographic parity the
 * selection rate, equal opportunity the true-positive rate (recall), equalized odds both the
 * true- and the false-positive rate (its gap is the larger of the two gaps, its ratio the smaller
 * of the two ratios, as fairlearn's `equalized_odds_difference` / `_ratio`).
 */
export const FAIRNESS_CRITERIA = {
  demographic_parity: ["selection_rate"],
  equal_opportunity: ["recall"],
  equalized_odds: ["recall", "fpr"],
} as const satisfies Record<string, readonly MetricName[]>;

/** A named fairness criterion. */
export type FairnessCriterion = keyof typeof FAIRNESS_CRITERIA;
