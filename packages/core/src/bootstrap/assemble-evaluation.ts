import type { MetricName } from "../manifest/metric-names.js";
import type { MetricValue } from "../metrics/metric-value.js";
import { METRICS } from "../metrics/registry.js";
import type {
  Evaluation,
  GroupIntervals,
  IntervalMethod,
  MetricResult,
  SliceResult,
} from "../results/evaluation.js";
import { normalQuantile } from "../stats/normal.js";
import { bcaLevels } from "./bca-levels.js";
import type { EvaluationParts } from "./evaluation-parts.js";
import { type MaximaJob, maximaHere } from "./gaussian-maxima.js";
import type { GroupMoments } from "./influence-moments.js";
import { BIAS_CORRECTED, UNJUDGED_METRICS } from "./judged-metrics.js";
import { percentileInterval } from "./percentile-interval.js";
import { inBootstrap } from "./phase-clock.js";
import { type FamilyMember, type GaussianBlock, supTIntervals } from "./sup-t-intervals.js";

/** Simulated maxima per Gaussian block of the simultaneous intervals (Monte Carlo error ≈ 0.002 in level). */
const GAUSSIAN_DRAWS = 20_000;

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
  const drawn = parts.drawn ?? metrics;
  const gaussianMetrics = parts.gaussianMetrics ?? metrics;
  const position = new Map(active.map((g, gi) => [g, gi]));
  const column = (values: (m: number) => number, gi: number, name: MetricName) => {
    const di = drawn.indexOf(name);
    const out = new Float64Array(replicates);
    for (let r = 0; r < replicates; r++) out[r] = values((r * active.length + gi) * drawn.length + di);
    return out;
  };
  const resultOf = (
    point: MetricValue,
    values: (m: number) => number,
    gi: number,
    name: MetricName,
    basic = false,
    acceleration: number | undefined = undefined,
    wald: { se: number; range: readonly [number, number]; bias?: number } | undefined = undefined,
  ): MetricResult => {
    const base: MetricResult = {
      value: point.value,
      ci: null,
      ...(point.reason ? { reason: point.reason } : {}),
    };
    if (replicates === 0 || point.value === null) return base;
    const v = point.value;
    if (wald) {
      // A large group: the Wald interval of the influence-function variance, cut to the range; for
      // ECE centred on the estimate less its bootstrap bias, as the basic interval is.
      const half = normalQuantile((1 + parts.confidence) / 2) * wald.se;
      const [min, max] = wald.range;
      const centre = basic ? v - (wald.bias ?? 0) : v;
      return {
        ...base,
        ci: [Math.max(min, Math.min(v, centre - half)), Math.min(max, Math.max(v, centre + half))],
      };
    }
    const interval = inBootstrap(parts.clock, () => {
      const draws = column(values, gi, name);
      const levels =
        acceleration === undefined ? undefined : bcaLevels(draws, v, acceleration, parts.confidence);
      return percentileInterval(draws, parts.confidence, levels);
    });
    if (interval.ci) {
      let [low, high] = interval.ci;
      if (basic) {
        const [min, max] = METRICS[name].range;
        [low, high] = [Math.max(min, 2 * v - high), Math.min(max, 2 * v - low)];
      }
      return { ...base, ci: [Math.min(low, v), Math.max(high, v)] };
    }
    return { ...base, reason: [point.reason, `no interval: ${interval.reason}`].filter(Boolean).join("; ") };
  };
  // The moments of metric mi of group g when its interval is Gaussian, with the metric's index in them.
  const momentsOf = (g: number, mi: number): { large: GroupMoments; at: number } | undefined => {
    const large = parts.gaussian?.get(g);
    if (!large || (parts.routes && parts.routes[g * metrics.length + mi] !== 1)) return undefined;
    return { large, at: gaussianMetrics.indexOf(metrics[mi]!) };
  };
  const gaussianCount = (g: number) => metrics.filter((_, mi) => momentsOf(g, mi)).length;
  const method = (g: number): { intervals?: GroupIntervals } => {
    if (replicates === 0) return {};
    const count = gaussianCount(g);
    return { intervals: count === 0 ? "bootstrap" : count === metrics.length ? "gaussian" : "mixed" };
  };
  // In a mixed group each metric says how its interval was computed.
  const labelled = (g: number, mi: number, result: MetricResult): MetricResult => {
    const count = replicates === 0 ? 0 : gaussianCount(g);
    if (count === 0 || count === metrics.length) return result;
    const intervals: IntervalMethod = momentsOf(g, mi) ? "gaussian" : "bootstrap";
    return Object.assign(result, { intervals });
  };
  const metricsOf = (model: number, g: number) => {
    const gi = position.get(g)!;
    const values = (i: number) => draws[model]![i]!;
    return Object.fromEntries(
      metrics.map((name, mi) => {
        const gauss = momentsOf(g, mi);
        return [
          name,
          labelled(
            g,
            mi,
            resultOf(
              parts.point(model, g, name),
              values,
              gi,
              name,
              BIAS_CORRECTED.has(name),
              // Only a bootstrapped metric's BCa needs it (it costs a pass over the rows per metric).
              gauss ? undefined : parts.acceleration?.(model, g, name),
              gauss
                ? {
                    se: Math.sqrt(gauss.large.variance[model]![gauss.at]!),
                    range: METRICS[name].range,
                    bias: name === "ece" ? gauss.large.eceBias[model]! : 0,
                  }
                : undefined,
            ),
          ),
        ];
      }),
    );
  };
  // Per large group, its judged deltas: one Gaussian block of the simultaneous intervals, whose
  // maxima are simulated (`job`) once every block is known.
  const blocks: { results: MetricResult[]; members: GaussianBlock["members"]; job: MaximaJob }[] = [];
  // Every judged delta with an interval, for the simultaneous intervals set once all are known.
  const family: { member: FamilyMember; result: MetricResult }[] = [];
  const deltaOf = (g: number) => {
    const gi = position.get(g)!;
    const values = (i: number) => draws[0]![i]! - draws[1]![i]!;
    const GM = gaussianMetrics.length;
    let large: GroupMoments | undefined;
    const block = {
      indices: [] as number[],
      results: [] as MetricResult[],
      members: [] as GaussianBlock["members"][number][],
    };
    const entries = Object.fromEntries(
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
        const [low, high] = METRICS[name].range;
        const range: [number, number] = [low - high, high - low];
        const gauss = momentsOf(g, mi);
        const se = gauss ? Math.sqrt(gauss.large.covariance![gauss.at * GM + gauss.at]!) : undefined;
        const result = labelled(
          g,
          mi,
          resultOf(point, values, gi, name, false, undefined, gauss ? { se: se!, range } : undefined),
        );
        if (gauss) {
          large = gauss.large;
          if (result.ci && !UNJUDGED_METRICS.has(name) && point.value !== null) {
            // Zero variance (e.g. both models constant): a degenerate interval, outside the maximum.
            if (se! > 0) {
              block.indices.push(gauss.at);
              block.results.push(result);
              block.members.push({ point: point.value, se: se!, range });
            } else result.ciAdjusted = result.ci;
          }
        } else if (result.ci && !UNJUDGED_METRICS.has(name) && point.value !== null) {
          family.push({
            member: {
              point: point.value,
              replicates: column(values, gi, name),
              range: [low - high, high - low],
            },
            result,
          });
        }
        return [name, result];
      }),
    );
    if (block.members.length > 0) {
      // The block's correlation, from the covariance of its members' paired influence.
      const K = block.indices.length;
      const cov = new Float64Array(K * K);
      block.indices.forEach((a, r) => {
        block.indices.forEach((b, c) => {
          cov[r * K + c] = large!.covariance![a * GM + b]!;
        });
      });
      blocks.push({
        results: block.results,
        members: block.members,
        job: { covariance: cov, draws: GAUSSIAN_DRAWS, seed: `${parts.seed ?? 0}/sup-t/${g}` },
      });
    }
    return entries;
  };
  const sliceOf = (model: number) =>
    parts.slices.map((slice, i): SliceResult => {
      const suppressed = slice.n < minSize;
      return {
        key: slice.key,
        n: suppressed ? `< ${minSize}` : slice.n,
        ...(parts.totals && !suppressed ? { weight: parts.totals[i + 1]! } : {}),
        suppressed,
        metrics: suppressed ? {} : metricsOf(model, i + 1),
        ...(suppressed ? {} : method(i + 1)),
        ...(slice.otherValues !== undefined ? { otherValues: slice.otherValues } : {}),
      };
    });
  const rows = parts.rows;
  // The deltas first: their blocks' maxima are simulated (on other threads, with a runner that
  // has them) while this thread works out each model's intervals below.
  const deltas =
    parts.models > 1
      ? [deltaOf(0), ...parts.slices.map((slice, i) => (slice.n < minSize ? {} : deltaOf(i + 1)))]
      : [];
  const maxima = (parts.runMaxima ?? maximaHere)(blocks.map((b) => b.job));
  const result: Evaluation = {
    rows,
    overall: {
      n: rows,
      ...(parts.totals ? { weight: parts.totals[0]! } : {}),
      metrics: metricsOf(0, 0),
      ...method(0),
    },
    slices: sliceOf(0),
  };
  if (parts.models > 1) {
    result.baseline = {
      overall: {
        n: rows,
        ...(parts.totals ? { weight: parts.totals[0]! } : {}),
        metrics: metricsOf(1, 0),
        ...method(0),
        delta: deltas[0]!,
      },
      slices: sliceOf(1).map((slice, i) => ({ ...slice, delta: deltas[i + 1]! })),
    };
    if (replicates > 0) {
      const simulated = maxima();
      const joint = inBootstrap(parts.clock, () =>
        supTIntervals(
          family.map((f) => f.member),
          parts.confidence,
          blocks.map((b, k) => ({ members: b.members, maxima: simulated[k]! })),
        ),
      );
      family.forEach((f, i) => {
        f.result.ciAdjusted = joint.ci[i] ?? null;
      });
      blocks.forEach((b, k) => {
        b.results.forEach((r, i) => {
          r.ciAdjusted = joint.blocks[k]![i]!;
        });
      });
      result.baseline.adjustment = {
        method: "sup-t",
        confidence: parts.confidence,
        comparisons: joint.members,
        critical: joint.critical,
        gaussianGroups: blocks.length,
      };
    }
  }
  return result;
}
