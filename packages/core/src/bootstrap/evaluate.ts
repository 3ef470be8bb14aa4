import type { MetricName, Task } from "../manifest/metric-names.js";
import type { BinaryPassData, RowPass } from "../metrics/binary-pass.js";
import { addCustomMetrics, type CustomMetricSpec } from "../metrics/custom-metrics.js";
import type { FairnessRequest } from "../metrics/fairness-gaps.js";
import { prepareMulticlassPass } from "../metrics/multiclass-pass.js";
import { OPERATING_METRICS } from "../metrics/operating-metrics.js";
import type { OperatingSpec } from "../metrics/operating-point.js";
import { prepareBinaryPass } from "../metrics/prepare-binary-pass.js";
import { METRICS } from "../metrics/registry.js";
import { prepareRegressionPass } from "../metrics/regression-pass.js";
import type { Evaluation } from "../results/evaluation.js";
import { type SliceAssigner, type SliceAssignment, sliceAssigner } from "../slicing/assign-slices.js";
import { type GroupIds, groupIdArray } from "../slicing/group-ids.js";
import type { SliceSpec } from "../slicing/slice-spec.js";
import type { Column } from "../table/column.js";
import { assembleEvaluation } from "./assemble-evaluation.js";
import { bootstrapMetrics, type ReplicateRunner } from "./bootstrap-metrics.js";
import { checkInput } from "./check-input.js";
import { addFairness, type FairnessContext, type ReplicateRange } from "./evaluation-fairness.js";
import type { MaximaRunner } from "./gaussian-maxima.js";
import type { InfluenceRunner } from "./influence-chunks.js";
import { influenceMoments } from "./influence-moments.js";
import { intervalRoutes } from "./interval-routes.js";
import { inBootstrap, type PhaseClock } from "./phase-clock.js";
import { pointTallies, type TallyRunner } from "./point-tallies.js";
import { replicateDraws } from "./replicate-draws.js";
import { effectiveCounts, rowCounts } from "./route-counts.js";

/** Inputs of {@link evaluate}; all rows in memory (8 bytes per row per score array). */
export interface EvaluateInput {
  task: Task;
  /** Binary 0/1, multiclass class indices, regression values. */
  labels: Float64Array;
  /** Binary: positive-class probability per row; multiclass: row-major [rows × classes]; regression: predictions. */
  scores: Float64Array;
  baselineScores?: Float64Array;
  /** Multiclass only. */
  classes?: number;
  /**
   * Sample weights (`evaluation.weight`), scikit-learn's `sample_weight`: finite, ≥ 0, one per row
   * in row order; absent = every row weighs 1. Every metric, interval and slice total uses them; a
   * row of weight w counts as w rows (integer weights equal duplicating the row), weight 0 as a
   * removed row. The caller validates them (a bad weight is the user's data, see
   * `checkInput`'s `RangeError` for a length mismatch).
   */
  weights?: Float64Array | undefined;
  /** `rowIdHash` of each row's key: bootstrap weights follow the row, not its position. */
  rowIds: Uint32Array;
  /** Each row's slice columns; not read when {@link sliceAssignment} is given. */
  sliceColumns: ReadonlyMap<string, Column>;
  /**
   * The rows already put in their slices, batch by batch while they were read, by
   * {@link evaluationSlices} of this input: the slice columns need never be held whole.
   */
  sliceAssignment?: SliceAssignment;
  /**
   * Called once every row is assigned to its slices, after which `evaluate` no longer reads
   * `sliceColumns`: a caller that owns them can drop them there (10 slice columns of 10M rows are
   * about 900 MB), while the intervals are computed.
   */
  onSlicesAssigned?: () => void;
  specs: readonly SliceSpec[];
  /** Values declared per category column (see `declaredValues`): those without rows are slices of n = 0. */
  declaredValues?: ReadonlyMap<string, readonly string[]>;
  metrics: readonly MetricName[];
  threshold?: number;
  /** Binary: costs and targets of the operating-point metrics (`evaluation.costs`, `evaluation.operating-point`). */
  operating?: OperatingSpec;
  /** Metrics defined by expressions (`evaluation.custom-metrics`; `counts` ones binary only), added under their names. */
  custom?: readonly CustomMetricSpec[];
  /** Metrics or criteria to compare across the groups of a sliced column (the gate's `fairness:` rules). */
  fairness?: readonly FairnessRequest[];
  /**
   * Slices with fewer rows are suppressed (default 30). Rows, not weight: what suppression protects
   * (a metric read off a handful of people) does not change when those rows are weighted up, and a
   * weight in other units (dollars, exposure) has no natural minimum.
   */
  minSliceSize?: number;
  /** Replicates; 0 = no intervals. */
  bootstrap?: number;
  seed?: number;
  confidence?: number;
  maxSlicesPerSpec?: number;
  /** The manifest path, for error messages. */
  file?: string;
  /** Takes the time spent on the bootstrap (replicates and intervals). */
  clock?: PhaseClock | undefined;
  /** Computes the replicates (e.g. split over worker threads); default `bootstrapMetrics` here. */
  runReplicates?: ReplicateRunner | undefined;
  /** Computes the influence moments' chunks (e.g. over worker threads); default `runChunks` here. */
  runInfluence?: InfluenceRunner | undefined;
  /** Simulates the sup-t maxima of the Gaussian groups (e.g. on worker threads); default `maximaHere`. */
  runMaxima?: MaximaRunner | undefined;
  /** Runs the candidate's point pass (e.g. on a worker thread) while the baseline's is prepared; default here. */
  runTally?: TallyRunner | undefined;
}

/**
 * Scores the candidate (and baseline) overall and per slice, with percentile bootstrap intervals
 * and the paired bootstrap of candidate − baseline. The one evaluation route of every task and of
 * single, sharded and merged runs (a merge concatenates the shards' rows and calls this): point
 * values equal the standalone metric functions, and each replicate reweights every row by
 * `poissonWeight(rowId, seed, r)` and computes every metric exactly on the reweighted rows —
 * the per-row Poisson bootstrap (Chamandy et al. 2012), with ROC AUC and average precision from
 * one weighted walk down the once-sorted scores (`prepareBinaryPass`). So rank-metric intervals
 * depend only on the order of the scores (invariant under strictly monotone transforms), every
 * interval stays in its metric's range, and a constant score gives AUC 0.5 in every replicate.
 *
 * With sample weights (`weights`) the point values are the weighted metrics (scikit-learn's
 * `sample_weight`), replicate r weighs row i `weights[i] × poissonWeight(rowId, seed, r)` (the row
 * is what is resampled), large groups' Gaussian intervals use the weighted influence functions and
 * switch on effective counts, and each group reports its total `weight` beside its rows `n`.
 *
 * @example
 * evaluate({ task: "binary", labels, scores, rowIds, sliceColumns, specs: ["region"], metrics: ["roc_auc"], bootstrap: 1000, seed: 7 });
 * // { rows: 5000, overall: { n: 5000, metrics: { roc_auc: { value: 0.81, ci: [0.79, 0.83] } } }, slices: [...] }
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const rows = input.labels.length;
  const classes = input.classes ?? 2;
  checkInput(input, rows, classes);
  const weights = input.weights;
  const assignment = input.sliceAssignment ?? assignAll(input, rows);
  if (assignment.rowSlice.some((slice) => slice.length !== rows))
    throw new RangeError(`sliceAssignment must hold ${rows} rows per spec`);
  const groups = 1 + assignment.slices.length;
  // Group 0 is every row, slice i is group i + 1; each spec's slice indices are dropped once copied.
  const groupIds = [groupIdArray(rows, groups)];
  assignment.rowSlice.forEach((slice, s) => {
    const ids = groupIdArray(rows, groups);
    for (let i = 0; i < rows; i++) ids[i] = slice[i]! + 1;
    groupIds.push(ids);
    assignment.rowSlice[s] = new Uint32Array(0);
  });
  input.onSlicesAssigned?.();
  const slices = assignment.slices;
  // One pass per model is prepared (rows sorted once), run unweighted for the point values and
  // once per replicate with that replicate's Poisson weights.
  // The operating walk (one more walk per replicate) runs only when one of its metrics is asked for.
  const operating = input.metrics.some((m) => OPERATING_METRICS.has(m)) ? (input.operating ?? {}) : undefined;
  const prepare = (
    scores: Float64Array,
    rowsOf: { labels: Float64Array; groupIds: GroupIds[]; weights?: Float64Array | undefined } = {
      labels: input.labels,
      groupIds,
      weights,
    },
  ): RowPass => {
    const passRows = {
      labels: rowsOf.labels,
      scores,
      groupIds: rowsOf.groupIds,
      groups,
      ...(rowsOf.weights ? { weights: rowsOf.weights } : {}),
    };
    if (input.task === "binary") return prepareBinaryPass(passRows, input.threshold ?? 0.5, operating);
    if (input.task === "multiclass") return prepareMulticlassPass(passRows, classes);
    return prepareRegressionPass(passRows);
  };
  const baselineScores = input.baselineScores;
  const { passes, tallies } = pointTallies(
    [() => prepare(input.scores), ...(baselineScores ? [() => prepare(baselineScores)] : [])],
    weights ?? null,
    input.runTally,
  );
  const minSize = input.minSliceSize ?? 30;
  const active = [0, ...slices.flatMap((s, i) => (s.n >= minSize ? [i + 1] : []))];
  const replicates = input.bootstrap ?? 0;
  const point = (model: number, g: number, name: MetricName) =>
    METRICS[name].fromTally(input.task, tallies[model]!, g * passes[model]!.tallySize, classes);
  // Per group and metric: Gaussian intervals from the influence functions where the counts the
  // metric averages over are large (see `intervalRoutes`), else the bootstrap, which then runs on a
  // pass over only the rows of groups that need it, for only the metrics that need it (the same sums
  // in the same order), and on the confusion counts alone when those are all it needs.
  const binary = input.task === "binary" && passes.every((p) => p.data?.kind === "binary");
  const routes = intervalRoutes(
    input.metrics,
    active,
    replicates > 0 && binary
      ? weights
        ? effectiveCounts(passes, weights)
        : rowCounts(passes, tallies)
      : null,
  );
  const gaussian =
    routes.gaussianGroups.length > 0
      ? inBootstrap(input.clock, () =>
          influenceMoments(
            {
              models: passes.map((p) => p.data as BinaryPassData),
              labels: input.labels,
              scores: [input.scores, ...(input.baselineScores ? [input.baselineScores] : [])],
              threshold: input.threshold ?? 0.5,
              costs: input.operating?.costs,
              ...(weights ? { weights } : {}),
              metrics: routes.gaussianMetrics,
              groups: routes.gaussianGroups,
              rowGroups: groupIds,
              value: (model, g, name) => point(model, g, name).value,
            },
            input.runInfluence,
          ),
        )
      : undefined;
  const bootstrapped = routes.bootstrapGroups;
  const drawn = routes.bootstrapMetrics;
  const { draws, full } = inBootstrap(input.clock, () =>
    replicateDraws({
      task: input.task,
      classes,
      passes,
      prepare,
      labels: input.labels,
      scores: [input.scores, ...(input.baselineScores ? [input.baselineScores] : [])],
      weights,
      rowIds: input.rowIds,
      groupIds,
      groups,
      threshold: input.threshold ?? 0.5,
      binary,
      active,
      routes,
      metrics: input.metrics,
      seed: input.seed ?? 0,
      replicates,
      run: input.runReplicates ?? bootstrapMetrics,
    }),
  );
  const evaluation = assembleEvaluation({
    rows,
    slices,
    ...(weights ? { totals: groupTotals(weights, groupIds, groups) } : {}),
    metrics: input.metrics,
    point,
    acceleration: (model, g, name) => passes[model]!.acceleration?.(g, name),
    models: passes.length,
    active: bootstrapped,
    drawn,
    ...(gaussian ? { gaussian, gaussianMetrics: routes.gaussianMetrics, routes: routes.gaussian } : {}),
    seed: input.seed ?? 0,
    runMaxima: input.runMaxima,
    draws,
    replicates,
    confidence: input.confidence ?? 0.95,
    minSize,
    clock: input.clock,
  });
  // What every further replicate run shares; runs read with functions stay in this thread.
  const range: ReplicateRange = {
    task: input.task,
    groups: active,
    rowHashes: input.rowIds,
    ...(weights ? { weights } : {}),
    seed: input.seed ?? 0,
    from: 0,
    to: replicates,
  };
  const readerDraws: FairnessContext["readerDraws"] = (readerPasses, readers) =>
    inBootstrap(input.clock, () =>
      bootstrapMetrics({ ...range, passes: readerPasses, metrics: [], readers }),
    );
  if (input.custom && input.custom.length > 0) {
    addCustomMetrics(evaluation, {
      task: input.task,
      specs: input.custom,
      labels: input.labels,
      scores: [input.scores, ...(input.baselineScores ? [input.baselineScores] : [])],
      ...(weights ? { weights } : {}),
      passes,
      threshold: input.threshold ?? 0.5,
      classes,
      groupIds,
      groups,
      active,
      replicates,
      confidence: input.confidence ?? 0.95,
      // In this thread: the readers are functions, which do not cross to workers.
      bootstrap: readerDraws,
    });
  }
  if (input.fairness && input.fairness.length > 0)
    addFairness(evaluation, {
      task: input.task,
      classes,
      requests: input.fairness,
      metrics: input.metrics,
      labels: input.labels,
      scores: input.scores,
      weights,
      threshold: input.threshold ?? 0.5,
      confidence: input.confidence ?? 0.95,
      binary,
      passes,
      tallies,
      groupIds,
      groups,
      slices,
      active,
      minSize,
      routes,
      gaussian,
      draws,
      full,
      point,
      range,
      run: input.runReplicates ?? bootstrapMetrics,
      readerDraws,
      clock: input.clock,
    });
  return evaluation;
}

/** Each group's total sample weight (group 0 = all rows, i + 1 = slice i). */
function groupTotals(weights: Float64Array, groupIds: readonly GroupIds[], groups: number): Float64Array {
  const totals = new Float64Array(groups);
  for (const ids of groupIds) for (let i = 0; i < ids.length; i++) totals[ids[i]!]! += weights[i]!;
  return totals;
}

/**
 * The {@link SliceAssigner} that puts an evaluation's rows in its slices (specs, cap, declared
 * values): {@link evaluate} feeds it `sliceColumns` whole; a reader may feed it batch by batch and
 * pass what it finishes as `sliceAssignment`.
 *
 * @example
 * const slices = evaluationSlices({ specs: ["region"], file: "models/churn/model.yml" });
 * for (const batch of batches) slices.add(batch.columns, batch.length);
 * evaluate({ ...input, sliceColumns: new Map(), sliceAssignment: slices.finish() });
 */
export function evaluationSlices(
  input: Pick<EvaluateInput, "specs" | "maxSlicesPerSpec" | "file" | "declaredValues">,
): SliceAssigner {
  return sliceAssigner(input.specs, {
    ...(input.maxSlicesPerSpec !== undefined ? { maxSlicesPerSpec: input.maxSlicesPerSpec } : {}),
    ...(input.file !== undefined ? { file: input.file } : {}),
    ...(input.declaredValues ? { declared: input.declaredValues } : {}),
  });
}

function assignAll(input: EvaluateInput, rows: number): SliceAssignment {
  const slices = evaluationSlices(input);
  slices.add(input.sliceColumns, rows);
  return slices.finish();
}
