import type { MetricName } from "../manifest/metric-names.js";
import type { MetricValue } from "../metrics/metric-value.js";
import type { Slice } from "../slicing/assign-slices.js";
import type { Evaluation, MetricResult, SliceResult } from "./evaluate.js";
import { percentileInterval } from "./percentile-interval.js";
import { inBootstrap, type PhaseClock } from "./phase-clock.js";

/** Everything {@link assembleEvaluation} turns into the result, however it was computed. */
export interface EvaluationParts {
  rows: number;
  slices: readonly Slice[];
  metrics: readonly MetricName[];
  /** Point value of a metric for model 0 (candidate) or 1 (baseline) in group g (0 = all rows, i + 1 = slice i). */
  point(model: number, g: number, name: MetricName): MetricValue & { maxError?: number };
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
 * differences candidate − baseline replicate by replicate.
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
    point: MetricValue & { maxError?: number },
    values: (m: number) => number,
    gi: number,
    mi: number,
  ): MetricResult => {
    const base: MetricResult = {
      value: point.value,
      ci: null,
      ...(point.reason ? { reason: point.reason } : {}),
      ...(point.maxError !== undefined && point.value !== null ? { maxError: point.maxError } : {}),
    };
    if (replicates === 0 || point.value === null) return base;
    const interval = inBootstrap(parts.clock, () =>
      percentileInterval(column(values, gi, mi), parts.confidence),
    );
    if (interval.ci) return { ...base, ci: interval.ci };
    return { ...base, reason: [point.reason, `no interval: ${interval.reason}`].filter(Boolean).join("; ") };
  };
  const metricsOf = (model: number, g: number) => {
    const gi = position.get(g)!;
    const values = (i: number) => draws[model]![i]!;
    return Object.fromEntries(
      metrics.map((name, mi) => [name, resultOf(parts.point(model, g, name), values, gi, mi)]),
    );
  };
  const deltaOf = (g: number) => {
    const gi = position.get(g)!;
    const values = (i: number) => draws[0]![i]! - draws[1]![i]!;
    return Object.fromEntries(
      metrics.map((name, mi) => {
        const c = parts.point(0, g, name);
        const b = parts.point(1, g, name);
        const error = (c.maxError ?? 0) + (b.maxError ?? 0);
        const point: MetricValue & { maxError?: number } =
          c.value === null || b.value === null
            ? {
                value: null,
                reason: `undefined for the ${c.value === null ? "candidate" : "baseline"}: ${(c.value === null ? c : b).reason}`,
              }
            : { value: c.value - b.value, ...(error > 0 ? { maxError: error } : {}) };
        return [name, resultOf(point, values, gi, mi)];
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
  }
  return result;
}
