import type { MetricName } from "../manifest/metric-names.js";

/**
 * Metrics whose changes are shown but never judged significant. The plug-in ECE is biased upward
 * by an amount that depends on the slice size and on each model's score distribution (Kumar,
 * Liang & Ma 2019, "Verified uncertainty calibration"; Roelofs et al. 2022, "Mitigating bias in
 * calibration error estimation"): at 50–200 rows the bias exceeds the sampling error, so a
 * difference of two plug-in ECEs, or an interval around one, says more about the bias than about
 * calibration. ECE changes therefore stay out of the multiplicity family, get no `ciAdjusted`,
 * and never raise a 🔻 or a warning.
 */
export const UNJUDGED_METRICS: ReadonlySet<MetricName> = new Set<MetricName>([
  "ece",
  // A threshold chosen on the data, or the share predicted positive, is not better higher or lower.
  "threshold_value",
  "threshold_f1",
  "selection_rate",
]);

/**
 * Metrics whose interval is the basic bootstrap interval `[2θ̂ − q₉₇.₅, 2θ̂ − q₂.₅]` (Davison &
 * Hinkley 1997, §5.2.1) cut to the metric's range, instead of the percentile interval. The
 * percentile interval inherits an estimator's bias twice over (the replicates are biased around
 * the plug-in as the plug-in is around the truth); the basic interval reflects the replicates
 * about the estimate, which removes the bias to first order. For the plug-in ECE — upward biased
 * by about the average |noise| of the bin gaps, so that percentile intervals around a calibrated
 * model's ECE never reach its true value 0 — the basic interval does, about half the time at 95%
 * (`bench/coverage.bench.mjs`): 0 is a boundary, where no bootstrap interval reaches nominal
 * coverage (Andrews 2000), so ECE intervals are indicative and ECE changes are never judged.
 * `f1_max` and `value_max`, maxima over thresholds chosen on the same rows, are biased upward the
 * same way: their percentile intervals covered 89.5% / 90.0% at n = 200 / 1,000 (f1_max,
 * `bench/coverage.bench.mjs` section 4), so they take the basic interval too.
 */
export const BIAS_CORRECTED: ReadonlySet<MetricName> = new Set<MetricName>(["ece", "f1_max", "value_max"]);
