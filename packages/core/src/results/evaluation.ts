import type { MetricName } from "../manifest/metric-names.js";
import type { FairnessGap } from "../metrics/fairness-gaps.js";

/** One metric's point value, interval and (when null, or chosen by convention) reason. */
export interface MetricResult {
  value: number | null;
  /** The percentile interval of the exact bootstrap, widened to the point should it lie outside. */
  ci: [number, number] | null;
  reason?: string;
  /**
   * Deltas only: the simultaneous interval over every metric × group of the report (see
   * `BaselineResult.adjustment`); what "significant regression" is decided on. Absent for ECE,
   * whose changes are never judged (see `assembleEvaluation`), and without replicates.
   */
  ciAdjusted?: [number, number] | null;
  /** Only in a group whose `intervals` is `mixed`: how this metric's interval was computed. */
  intervals?: IntervalMethod;
}

/** `evaluation.json`'s overall block. */
export interface GroupResult {
  n: number;
  /** With sample weights: the group's total weight (its rows' weights summed; `n` stays the rows). */
  weight?: number;
  metrics: Partial<Record<MetricName, MetricResult>>;
  /**
   * How this group's intervals were computed: `bootstrap` (the exact per-row Poisson bootstrap),
   * `gaussian` (θ̂ ± z·se from the influence functions, for metrics whose counts — see
   * `intervalRoutes` — reach their minimum: `GAUSSIAN_MIN_CLASS_COUNT` of each class for AUC, AP,
   * log loss, Brier and ECE, `GAUSSIAN_MIN_COUNT` for the others; see `influenceMoments`), or `mixed` (some
   * of each: each metric then says which in its own `intervals`). Absent without intervals.
   */
  intervals?: GroupIntervals;
}

/** How one metric's interval was computed (see `GroupResult.intervals`). */
export type IntervalMethod = "bootstrap" | "gaussian";

/** How a group's intervals were computed: one method for all its metrics, or `mixed`. */
export type GroupIntervals = IntervalMethod | "mixed";

/** A slice; suppressed ones (fewer than `min-slice-size` rows) show `n` as `"< k"` and no metrics. */
export interface SliceResult {
  key: Record<string, string>;
  n: number | `< ${number}`;
  /**
   * With sample weights: the slice's total weight. A slice is suppressed on its rows (`n`), never
   * on its weight, and a suppressed slice shows no weight (with equal weights it would give `n`
   * away); see `EvaluateInput.minSliceSize`.
   */
  weight?: number;
  suppressed: boolean;
  metrics: Partial<Record<MetricName, MetricResult>>;
  /**
   * How this group's intervals were computed: `bootstrap` (the exact per-row Poisson bootstrap),
   * `gaussian` (θ̂ ± z·se from the influence functions, for metrics whose counts — see
   * `intervalRoutes` — reach their minimum: `GAUSSIAN_MIN_CLASS_COUNT` of each class for AUC, AP,
   * log loss, Brier and ECE, `GAUSSIAN_MIN_COUNT` for the others; see `influenceMoments`), or `mixed` (some
   * of each: each metric then says which in its own `intervals`). Absent without intervals.
   */
  intervals?: GroupIntervals;
  /** Only on the `(other)` slice that pools values beyond the per-spec cap. */
  otherValues?: number;
}

/** How the deltas' `ciAdjusted` intervals control false alarms across the report. */
export interface MultiplicityAdjustment {
  /** `sup-t`: simultaneous intervals from the bootstrap maximum of the standardised changes. */
  method: "sup-t";
  /** The joint level: every `ciAdjusted` covers its true change together with this probability. */
  confidence: number;
  /** Metric × group changes in the family (ECE and undefined changes are left out). */
  comparisons: number;
  /** The half-width of each `ciAdjusted` in standard errors (one test alone: 1.96 at 95%). */
  critical: number;
  /**
   * Groups whose changes are Gaussian (influence functions, see `influenceMoments`) rather than
   * bootstrapped: each is one block of the max-T, its maximum simulated from the changes'
   * estimated correlation; blocks and the bootstrapped changes are combined conservatively
   * (see `supTIntervals`). 0 when every group is bootstrapped.
   */
  gaussianGroups?: number;
}

/** The baseline's block: its metrics plus the paired candidate − baseline delta. */
export interface BaselineResult {
  overall: GroupResult & { delta: Partial<Record<MetricName, MetricResult>> };
  slices: (SliceResult & { delta: Partial<Record<MetricName, MetricResult>> })[];
  /** Set when there are replicates. */
  adjustment?: MultiplicityAdjustment;
}

/** What `evaluate` returns: the metric part of `evaluation.json`. */
export interface Evaluation {
  rows: number;
  overall: GroupResult;
  slices: SliceResult[];
  baseline?: BaselineResult;
  /** The candidate's gaps and ratios between groups that `fairness` asked for (see `fairnessGaps`). */
  fairness?: FairnessGap[];
}
