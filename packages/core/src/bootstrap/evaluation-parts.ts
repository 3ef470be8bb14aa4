import type { MetricName } from "../manifest/metric-names.js";
import type { MetricValue } from "../metrics/metric-value.js";
import type { Slice } from "../slicing/assign-slices.js";
import type { MaximaRunner } from "./gaussian-maxima.js";
import type { GroupMoments } from "./influence-moments.js";
import type { PhaseClock } from "./phase-clock.js";

/** Everything `assembleEvaluation` turns into the result, however it was computed. */
export interface EvaluationParts {
  rows: number;
  slices: readonly Slice[];
  /** With sample weights: each group's total weight, shown beside its row count. */
  totals?: Float64Array;
  metrics: readonly MetricName[];
  /** Point value of a metric for model 0 (candidate) or 1 (baseline) in group g (0 = all rows, i + 1 = slice i). */
  point(model: number, g: number, name: MetricName): MetricValue;
  /** The BCa acceleration of a mean-type metric (see `RowPass.acceleration`); `undefined`: percentile. */
  acceleration?(model: number, g: number, name: MetricName): number | undefined;
  models: number;
  /** Groups with replicates: every group not suppressed with a metric not Gaussian, ascending. */
  active: readonly number[];
  /** The metrics in `draws`, in their order (default `metrics`): those bootstrapped in some group. */
  drawn?: readonly MetricName[];
  /**
   * Groups with Gaussian intervals, from the influence functions' moments (`influenceMoments`, in
   * the order of `gaussianMetrics`): `point ± z·se`, and for deltas `ciAdjusted` from the same max-T.
   */
  gaussian?: ReadonlyMap<number, GroupMoments>;
  /** The metrics of the `gaussian` moments, in their order (default `metrics`). */
  gaussianMetrics?: readonly MetricName[];
  /**
   * `routes[g · metrics.length + mi]` = 1 where metric mi of group g is Gaussian (`intervalRoutes`);
   * absent: every metric of a group in `gaussian` is.
   */
  routes?: Uint8Array;
  /** Seeds the simulated maxima of the Gaussian blocks. */
  seed?: number;
  /** Simulates the Gaussian blocks' maxima (e.g. on worker threads); default here, when asked for. */
  runMaxima?: MaximaRunner | undefined;
  /** Per model, replicate values indexed `(r · active.length + gi) · drawn.length + di`. */
  draws: readonly Float64Array[];
  replicates: number;
  confidence: number;
  minSize: number;
  /** Takes the time spent on intervals. */
  clock?: PhaseClock | undefined;
}
