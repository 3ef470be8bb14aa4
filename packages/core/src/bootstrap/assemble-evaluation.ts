import type { MetricName } from "../manifest/metric-names.js";
import type { MetricValue } from "../metrics/metric-value.js";
import { METRICS } from "../metrics/registry.js";
import type { Slice } from "../slicing/assign-slices.js";
import { bcaLevels } from "./bca-levels.js";
import type { Evaluation, MetricResult, SliceResult } from "./evaluate.js";
import { percentileInterval } from "./percentile-interval.js";
import { inBootstrap, type PhaseClock } from "./phase-clock.js";
import { type FamilyMember, supTIntervals } from "./sup-t-intervals.js";

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
 */
export const BIAS_CORRECTED: ReadonlySet<MetricName> = new Set<MetricName>(["ece"]);

/** Everything {@link assembleEvaluation} turns into the result, however it was computed. */
export interface EvaluationParts {
  rows: number;
  slices: readonly Slice[];
  metrics: readonly MetricName[];
  /** Point value of a metric for model 0 (candidate) or 1 (baseline) in group g (0 = all rows, i + 1 = slice i). */
  point(model: number, g: number, name: MetricName): MetricValue;
  /** The BCa acceleration of a mean-type metric (see `RowPass.acceleration`); `undefined`: percentile. */
  acceleration?(model: number, g: number, name: MetricName): number | undefined;
  models: number;
  /** Groups with replicates: 0 and every slice that is not suppressed, ascending. */
  active: readonly number[];
  /** Per model, replicate values indexed `(r · active.length + gi) · metrics.length + mi`. */
  draws: readonly Float64Array[];
  replicates: number;
  confidence: number;
  minSize: number;
  /** Takes the time spent on intervals. */
  clock?: PhaseClock | undefined;
}

/**
 * Builds the metric part of `evaluation.json` from point values and bootstrap replicates: the
 * percentile interval of each metric of each group and, with a baseline, of the paired
 * differences candidate − baseline replicate by replicate, plus the deltas' simultaneous
 * intervals (`ciAdjusted`, see `supTIntervals`) over every judged metric × group of the report.
 *
 * Intervals are percentile intervals of the exact bootstrap (Efron & Tibshirani 1993, §13.3), so
 * they lie in the metric's range. A percentile interval can miss its own point estimate when the
 * replicates sit on one side of it (a discrete metric in a small slice, or AUC near 1); then the
 * interval is widened to the point, which only adds coverage, rather than switching method (BCa
 * would need a jackknife of every metric: n more evaluations per group). Means of per-row values
 * (log loss, Brier, accuracy, recall, precision), whose acceleration the pass knows from the rows,
 * get the BCa interval (`bcaLevels`): per-row losses are right-skewed and shares near 0 or 1 are
 * too, and percentile intervals of a skewed mean undercover at a few hundred rows.
 *
 * @example
 * assembleEvaluation({ rows: 100, slices: [], metrics: ["accuracy"], point: () => ({ value: 0.9 }),
 *   models: 1, active: [0], draws: [], replicates: 0, confidence: 0.95, minSize: 30 });
 * // { rows: 100, overall: { n: 100, metrics: { accuracy: { value: 0.9, ci: null } } }, slices: [] }
 */
export function assembleEvaluation(parts: EvaluationParts): Evaluation {
  const { metrics, replicates, active, draws, minSize } = parts;
  const position = new Map(active.map((g, gi) => [g, gi]));
  const column = (values: (m: number) => number, gi: number, mi: number) => {
    const out = new Float64Array(replicates);
    for (let r = 0; r < replicates; r++) out[r] = values((r * active.length + gi) * metrics.length + mi);
    return out;
  };
  const resultOf = (
    point: MetricValue,
    values: (m: number) => number,
    gi: number,
    mi: number,
    basic = false,
    acceleration: number | undefined = undefined,
  ): MetricResult => {
    const base: MetricResult = {
      value: point.value,
      ci: null,
      ...(point.reason ? { reason: point.reason } : {}),
    };
    if (replicates === 0 || point.value === null) return base;
    const v = point.value;
    const interval = inBootstrap(parts.clock, () => {
      const draws = column(values, gi, mi);
      const levels =
        acceleration === undefined ? undefined : bcaLevels(draws, v, acceleration, parts.confidence);
      return percentileInterval(draws, parts.confidence, levels);
    });
    if (interval.ci) {
      let [low, high] = interval.ci;
      if (basic) {
        const [min, max] = METRICS[metrics[mi]!].range;
        [low, high] = [Math.max(min, 2 * v - high), Math.min(max, 2 * v - low)];
      }
      return { ...base, ci: [Math.min(low, v), Math.max(high, v)] };
    }
    return { ...base, reason: [point.reason, `no interval: ${interval.reason}`].filter(Boolean).join("; ") };
  };
  const metricsOf = (model: number, g: number) => {
    const gi = position.get(g)!;
    const values = (i: number) => draws[model]![i]!;
    return Object.fromEntries(
      metrics.map((name, mi) => [
        name,
        resultOf(
          parts.point(model, g, name),
          values,
          gi,
          mi,
          BIAS_CORRECTED.has(name),
          parts.acceleration?.(model, g, name),
        ),
      ]),
    );
  };
  // Every judged delta with an interval, for the simultaneous intervals set once all are known.
  const family: { member: FamilyMember; result: MetricResult }[] = [];
  const deltaOf = (g: number) => {
    const gi = position.get(g)!;
    const values = (i: number) => draws[0]![i]! - draws[1]![i]!;
    return Object.fromEntries(
      metrics.map((name, mi) => {
        const c = parts.point(0, g, name);
        const b = parts.point(1, g, name);
        const point: MetricValue =
          c.value === null || b.value === null
            ? {
                value: null,
                reason: `undefined for the ${c.value === null ? "candidate" : "baseline"}: ${(c.value === null ? c : b).reason}`,
              }
            : { value: c.value - b.value };
        const result = resultOf(point, values, gi, mi);
        if (result.ci && !UNJUDGED_METRICS.has(name) && point.value !== null) {
          const [low, high] = METRICS[name].range;
          family.push({
            member: {
              point: point.value,
              replicates: column(values, gi, mi),
              range: [low - high, high - low],
            },
            result,
          });
        }
        return [name, result];
      }),
    );
  };
  const sliceOf = (model: number) =>
    parts.slices.map((slice, i): SliceResult => {
      const suppressed = slice.n < minSize;
      return {
        key: slice.key,
        n: suppressed ? `< ${minSize}` : slice.n,
        suppressed,
        metrics: suppressed ? {} : metricsOf(model, i + 1),
        ...(slice.otherValues !== undefined ? { otherValues: slice.otherValues } : {}),
      };
    });
  const rows = parts.rows;
  const result: Evaluation = { rows, overall: { n: rows, metrics: metricsOf(0, 0) }, slices: sliceOf(0) };
  if (parts.models > 1) {
    result.baseline = {
      overall: { n: rows, metrics: metricsOf(1, 0), delta: deltaOf(0) },
      slices: sliceOf(1).map((slice, i) => ({ ...slice, delta: slice.suppressed ? {} : deltaOf(i + 1) })),
    };
    if (replicates > 0) {
      const joint = inBootstrap(parts.clock, () =>
        supTIntervals(
          family.map((f) => f.member),
          parts.confidence,
        ),
      );
      family.forEach((f, i) => {
        f.result.ciAdjusted = joint.ci[i] ?? null;
      });
      result.baseline.adjustment = {
        method: "sup-t",
        confidence: parts.confidence,
        comparisons: joint.members,
        critical: joint.critical,
      };
    }
  }
  return result;
}
