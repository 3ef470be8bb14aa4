import type { MetricName, Task } from "../manifest/metric-names.js";
import type { RowPass } from "../metrics/binary-pass.js";
import { COUNT_METRICS, prepareCountPass } from "../metrics/count-pass.js";
import { type FairnessRequest, fairnessGaps, fairnessMetrics } from "../metrics/fairness-gaps.js";
import type { MetricValue } from "../metrics/metric-value.js";
import { ONE_VS_REST_RATES, type OneVsRestRate, oneVsRestFromTally } from "../metrics/one-vs-rest.js";
import type { Evaluation } from "../results/evaluation.js";
import type { Slice } from "../slicing/assign-slices.js";
import type { GroupIds } from "../slicing/group-ids.js";
import type { BootstrapInput, ReplicateRunner } from "./bootstrap-metrics.js";
import type { GroupMoments } from "./influence-moments.js";
import type { IntervalRoutes } from "./interval-routes.js";
import { inBootstrap, type PhaseClock } from "./phase-clock.js";

/** What every replicate run of an evaluation shares: its active groups, rows, seed and replicates. */
export type ReplicateRange = Omit<BootstrapInput, "passes" | "metrics" | "readers" | "classes">;

/** What {@link addFairness} reads of an evaluation in progress (see `evaluate`). */
export interface FairnessContext {
  task: Task;
  classes: number;
  requests: readonly FairnessRequest[];
  metrics: readonly MetricName[];
  labels: Float64Array;
  /** The candidate's scores by input row. */
  scores: Float64Array;
  weights: Float64Array | undefined;
  threshold: number;
  confidence: number;
  /** Whether every pass is binary (a count pass exists for binary tallies only). */
  binary: boolean;
  /** `evaluate`'s passes (the candidate's first) and their unweighted-or-weighted point tallies. */
  passes: readonly RowPass[];
  tallies: readonly Float64Array[];
  groupIds: readonly GroupIds[];
  groups: number;
  slices: readonly Slice[];
  active: readonly number[];
  minSize: number;
  routes: IntervalRoutes;
  gaussian: Map<number, GroupMoments> | undefined;
  /** `replicateDraws`' values, and whether they cover every metric of every group on every row. */
  draws: readonly Float64Array[];
  full: boolean;
  point(model: number, g: number, name: MetricName): MetricValue;
  range: ReplicateRange;
  run: ReplicateRunner;
  /** Replicates read with functions (which do not cross to workers), in this thread. */
  readerDraws(passes: readonly RowPass[], readers: readonly { fromTally: ReaderFn }[]): Float64Array[];
  clock: PhaseClock | undefined;
}

type ReaderFn = (task: Task, t: Float64Array, o: number, classes: number) => MetricValue;

/**
 * Sets `evaluation.fairness`: the gaps of the requested comparisons across each sliced column, with
 * their intervals and decisions (see `fairnessGaps`). The evaluation's replicates when they cover
 * every metric of every group on every row (the same numbers a run of their own would give); else,
 * with Gaussian metrics, replicates of their own, drawn only if a comparison is not clear enough
 * for the delta method — on a count pass when every rate compared reads only the confusion counts
 * (selection rate, recall, fpr: the named criteria), whose integer sums are the score walk's bit
 * for bit. Multiclass rules naming a class compare its one-vs-rest rates, read from the class
 * tallies with replicates of their own.
 *
 * @example
 * addFairness(evaluation, { ...fromEvaluate, requests: [{ across: "region", metric: "recall" }] });
 * evaluation.fairness![0].gap; // { value: 0.04, ci: [0.01, 0.07] } for example
 */
export function addFairness(evaluation: Evaluation, c: FairnessContext): void {
  const { metrics, routes, active, range } = c;
  const replicates = range.to - range.from;
  const reuse =
    replicates > 0 &&
    routes.bootstrapGroups.length === active.length &&
    routes.bootstrapMetrics.length === metrics.length &&
    c.full;
  const fairnessDrawn = reuse ? [...metrics] : fairnessMetrics(c.requests, metrics);
  const compared = comparedGroups(c.slices, active, c.requests);
  const fairnessDraws = reuse
    ? c.draws[0]
    : replicates > 0 && fairnessDrawn.length > 0
      ? () =>
          inBootstrap(c.clock, () =>
            c.run({
              ...range,
              classes: c.classes,
              passes: [
                c.binary && fairnessDrawn.every((name) => COUNT_METRICS.has(name))
                  ? prepareCountPass(
                      {
                        labels: c.labels,
                        scores: c.scores,
                        groupIds: c.groupIds,
                        groups: c.groups,
                        ...(c.weights ? { weights: c.weights } : {}),
                      },
                      c.threshold,
                      compared,
                    )
                  : c.passes[0]!,
              ],
              metrics: fairnessDrawn,
            }),
          )[0]
      : undefined;
  const classIndices =
    c.task === "multiclass" ? [...new Set(c.requests.flatMap((r) => (r.class ? [r.class.index] : [])))] : [];
  const classDraws = new Map<number, Float64Array>();
  if (replicates > 0) {
    for (const k of classIndices) {
      const readers = ONE_VS_REST_RATES.map((rate) => ({
        fromTally: (_: unknown, t: Float64Array, o: number) => oneVsRestFromTally(rate, k, t, o),
      }));
      classDraws.set(k, c.readerDraws([c.passes[0]!], readers)[0]!);
    }
  }
  const M = metrics.length;
  evaluation.fairness = fairnessGaps({
    ...(classIndices.length > 0
      ? {
          classes: {
            point: (g: number, k: number, rate: OneVsRestRate) =>
              oneVsRestFromTally(rate, k, c.tallies[0]!, g * c.passes[0]!.tallySize),
            draws: classDraws,
          },
        }
      : {}),
    slices: c.slices,
    metrics,
    point: (g, name) => c.point(0, g, name),
    active,
    drawn: fairnessDrawn,
    draws: fairnessDraws,
    variance: (g, name) => {
      const mi = metrics.indexOf(name);
      const moments = c.gaussian?.get(g);
      if (mi < 0 || !moments || routes.gaussian[g * M + mi] !== 1) return undefined;
      return moments.variance[0]![routes.gaussianMetrics.indexOf(name)];
    },
    replicates,
    confidence: c.confidence,
    minSize: c.minSize,
    requested: c.requests,
  });
}

/**
 * The active groups a fairness request compares: slices keyed by one of the requests' columns
 * alone. A count pass for the gaps' replicates counts only these (every other group's entries are
 * `NaN`, which `fairnessGaps` never reads), so it skips the overall grouping's rows.
 */
function comparedGroups(
  slices: readonly { key: Record<string, unknown> }[],
  active: readonly number[],
  fairness: readonly FairnessRequest[],
): number[] {
  const across = new Set(fairness.map((r) => r.across));
  return active.filter((g) => {
    const keys = g === 0 ? [] : Object.keys(slices[g - 1]!.key);
    return keys.length === 1 && across.has(keys[0]!);
  });
}
