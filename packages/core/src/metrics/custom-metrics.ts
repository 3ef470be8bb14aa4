import { GAUSSIAN_MIN_COUNT } from "../bootstrap/influence-moments.js";
import { percentileInterval } from "../bootstrap/percentile-interval.js";
import type { Task } from "../manifest/metric-names.js";
import type { GroupResult, MetricResult, SliceResult } from "../results/evaluation.js";
import type { GroupIds } from "../slicing/group-ids.js";
import { normalQuantile } from "../stats/normal.js";
import type { RowPass } from "./binary-pass.js";
import { confusionFromTally } from "./confusion.js";
import { cellSquares, countsGradient, countsStandardErrors, rowsMoments } from "./custom-influence.js";
import { countsMetricFromTally, rowValuePass, rowValues, UNDEFINED_EXPRESSION } from "./custom-values.js";
import type { ExpressionNode } from "./expression.js";
import { type MetricValue, metricValue, NO_ROWS } from "./metric-value.js";

/** A custom metric, its expression parsed (see `customMetricsOf`). */
export interface CustomMetricSpec {
  name: string;
  /** `counts`: the expression of the confusion counts is the metric; `rows`: its weighted mean over rows. */
  from: "counts" | "rows";
  expression: string;
  tree: ExpressionNode;
  direction: "higher" | "lower";
}

/** What {@link addCustomMetrics} needs from `evaluate`. */
export interface CustomMetricsInput {
  task: Task;
  /** `counts` metrics only for a binary task (the manifest refuses others, see `customMetricProblems`). */
  specs: readonly CustomMetricSpec[];
  labels: Float64Array;
  /** Candidate's and (when compared) baseline's scores. */
  scores: readonly Float64Array[];
  /** Sample weights (see `EvaluateInput.weights`): counts are weighted, `rows` means weighted. */
  weights?: Float64Array;
  /** The models' passes, as `evaluate` prepared them (binary: their tallies hold the confusion counts). */
  passes: readonly RowPass[];
  threshold: number;
  /** Multiclass: the number of classes. */
  classes: number;
  groupIds: readonly GroupIds[];
  groups: number;
  /** Groups with intervals: 0 and every slice not suppressed. */
  active: readonly number[];
  replicates: number;
  confidence: number;
  /** Replicates for these readers: `bootstrapMetrics` (in this thread: readers are functions). */
  bootstrap: (passes: readonly RowPass[], readers: readonly { fromTally: MetricReader }[]) => Float64Array[];
}

type MetricReader = (task: Task, t: Float64Array, o: number, classes: number) => MetricValue;

/** The evaluation parts custom metrics are added to (see `Evaluation`). */
interface EvaluationLike {
  overall: GroupResult;
  slices: SliceResult[];
  baseline?: {
    overall: GroupResult & { delta: GroupResult["metrics"] };
    slices: (SliceResult & { delta: GroupResult["metrics"] })[];
  };
}

/**
 * Computes every custom metric overall and in every slice that is not suppressed, for the
 * candidate and the baseline, with percentile intervals from the same Poisson replicates as the
 * built-in metrics (same seed and row hashes, so candidate − baseline is paired), and adds them to
 * the evaluation's `metrics` and `delta` under their names. `counts` metrics re-read the binary
 * passes' confusion counts in every replicate; `rows` metrics sum their per-row values with each
 * replicate's weights. Deltas get per-change intervals only (no simultaneous `ciAdjusted`).
 * In a large group the interval is Gaussian instead (`intervals: "gaussian"`): θ̂ ± z·se with se by
 * the delta method — for `counts` the expression's numerical gradient in the confusion counts,
 * for `rows` the weighted mean's influence (see `custom-influence.ts`, which says when a group is
 * large); the bootstrap then runs only when some group still needs it.
 *
 * @example
 * addCustomMetrics(evaluation, { specs: [{ name: "net", from: "counts", expression: "tp - fp", … }], … });
 * evaluation.overall.metrics.net; // { value: 812, ci: [760, 866] }
 */
export function addCustomMetrics(evaluation: EvaluationLike, input: CustomMetricsInput): void {
  const { specs, active } = input;
  const counts = specs.filter((s) => s.from === "counts");
  if (counts.length > 0 && input.task !== "binary") {
    throw new RangeError(`counts custom metrics need a binary model, not ${input.task} (${counts[0]!.name})`);
  }
  const rows = specs.filter((s) => s.from === "rows");
  // One tally per model for each kind: the binary passes for counts, row-value passes for rows.
  const kinds: {
    specs: CustomMetricSpec[];
    passes: RowPass[];
    readers: MetricReader[];
    values?: Float64Array[][];
  }[] = [];
  if (counts.length > 0) {
    kinds.push({
      specs: counts,
      passes: [...input.passes],
      readers: counts.map((spec) => (_t, t, o) => countsMetricFromTally(spec, t, o)),
    });
  }
  if (rows.length > 0) {
    // values[m][j]: model m's per-row values of rows metric j.
    const values = input.scores.map((scores) =>
      rows.map((spec) =>
        rowValues(spec, {
          task: input.task,
          labels: input.labels,
          scores,
          threshold: input.threshold,
          classes: input.classes,
        }),
      ),
    );
    const passes = values.map((v) => rowValuePass(v, input.groupIds, input.groups));
    kinds.push({
      specs: rows,
      values,
      passes,
      readers: rows.map((_, j) => (_t, t, o) => {
        const total = t[o + rows.length]!;
        if (total === 0) return { value: null, reason: NO_ROWS };
        return metricValue(t[o + j]! / total, UNDEFINED_EXPRESSION);
      }),
    });
  }
  const position = new Map(active.map((g, gi) => [g, gi]));
  for (const kind of kinds) {
    const tallies = kind.passes.map((pass) => {
      const out = new Float64Array(pass.groups * pass.tallySize);
      pass.run(input.weights ?? null, out);
      return out;
    });
    const point = (m: number, g: number, j: number) =>
      kind.readers[j]!(input.task, tallies[m]!, g * kind.passes[m]!.tallySize, 2);
    const width = kind.specs.length;
    const wald = input.replicates > 0 ? standardErrors(kind, tallies, point, input) : null;
    const allGaussian = wald?.every((byGroup) => active.every((g) => byGroup[g]!.gaussian)) ?? false;
    const draws =
      input.replicates > 0 && !allGaussian
        ? input.bootstrap(
            kind.passes,
            kind.readers.map((fromTally) => ({ fromTally })),
          )
        : [];
    const column = (values: (r: number) => number) => {
      const out = new Float64Array(input.replicates);
      for (let r = 0; r < input.replicates; r++) out[r] = values(r);
      return out;
    };
    const at = (r: number, g: number, j: number) => (r * active.length + position.get(g)!) * width + j;
    const resultOf = (value: MetricValue, replicates: Float64Array | undefined): MetricResult => {
      const base: MetricResult = {
        value: value.value,
        ci: null,
        ...(value.reason ? { reason: value.reason } : {}),
      };
      if (!replicates || value.value === null) return base;
      const interval = percentileInterval(replicates, input.confidence);
      if (!interval.ci)
        return {
          ...base,
          reason: [value.reason, `no interval: ${interval.reason}`].filter(Boolean).join("; "),
        };
      return { ...base, ci: [Math.min(interval.ci[0], value.value), Math.max(interval.ci[1], value.value)] };
    };
    const z = normalQuantile((1 + input.confidence) / 2);
    const gaussianOf = (value: MetricValue, se: number | null): MetricResult => ({
      value: value.value,
      ci: value.value === null || se === null ? null : [value.value - z * se, value.value + z * se],
      ...(value.reason ? { reason: value.reason } : {}),
      intervals: "gaussian",
    });
    const waldOf = (g: number, j: number) => (wald ? wald[j]![g] : undefined);
    const metricOf = (m: number, g: number, j: number) =>
      waldOf(g, j)?.gaussian
        ? gaussianOf(point(m, g, j), waldOf(g, j)!.se[m]!)
        : resultOf(point(m, g, j), draws[m] ? column((r) => draws[m]![at(r, g, j)]!) : undefined);
    const deltaOf = (g: number, j: number): MetricResult => {
      const c = point(0, g, j);
      const b = point(1, g, j);
      if (c.value === null || b.value === null) {
        const which = c.value === null ? "candidate" : "baseline";
        return {
          value: null,
          ci: null,
          reason: `undefined for the ${which}: ${(c.value === null ? c : b).reason}`,
        };
      }
      const large = waldOf(g, j);
      if (large?.gaussian) return gaussianOf({ value: c.value - b.value }, large.deltaSe);
      const paired = draws[1] ? column((r) => draws[0]![at(r, g, j)]! - draws[1]![at(r, g, j)]!) : undefined;
      return resultOf({ value: c.value - b.value }, paired);
    };
    kind.specs.forEach((spec, j) => {
      const metrics = (target: GroupResult["metrics"], result: MetricResult) => {
        (target as Record<string, MetricResult>)[spec.name] = result;
      };
      metrics(evaluation.overall.metrics, metricOf(0, 0, j));
      evaluation.slices.forEach((slice, i) => {
        if (!slice.suppressed) metrics(slice.metrics, metricOf(0, i + 1, j));
      });
      const baseline = evaluation.baseline;
      if (baseline && kind.passes.length > 1) {
        metrics(baseline.overall.metrics, metricOf(1, 0, j));
        metrics(baseline.overall.delta, deltaOf(0, j));
        baseline.slices.forEach((slice, i) => {
          if (slice.suppressed) return;
          metrics(slice.metrics, metricOf(1, i + 1, j));
          metrics(slice.delta, deltaOf(i + 1, j));
        });
      }
    });
  }
}

/** One custom metric's first-order standard errors in one group (see `custom-influence.ts`). */
interface GroupWald {
  gaussian: boolean;
  se: number[];
  deltaSe: number | null;
}

/**
 * Per metric of a kind and per group: the delta-method standard errors and whether the group is
 * large enough for a Gaussian interval (`countsStandardErrors`, `rowsMoments`); groups that are
 * not keep the bootstrap.
 */
function standardErrors(
  kind: { specs: CustomMetricSpec[]; values?: Float64Array[][] },
  tallies: readonly Float64Array[],
  point: (m: number, g: number, j: number) => MetricValue,
  input: CustomMetricsInput,
): GroupWald[][] {
  const { groups, active } = input;
  const K = tallies.length;
  if (!kind.values) {
    const squares = cellSquares(
      input.labels,
      input.scores,
      input.threshold,
      input.groupIds,
      groups,
      input.weights,
    );
    const tallySize = input.passes[0]!.tallySize;
    return kind.specs.map((spec) => {
      const out: GroupWald[] = [];
      for (const g of active) {
        const gradients = tallies.map((t) => countsGradient(spec, confusionFromTally(t, g * tallySize)));
        out[g] = countsStandardErrors(gradients, squares, g, groups);
      }
      return out;
    });
  }
  const values = kind.values;
  return kind.specs.map((_, j) => {
    const means = tallies.map((_, m) =>
      Array.from({ length: groups }, (_, g) => point(m, g, j).value ?? Number.NaN),
    );
    const totals = Float64Array.from(
      { length: groups },
      (_, g) => tallies[0]![g * (kind.specs.length + 1) + kind.specs.length]!,
    );
    const moments = rowsMoments(
      values.map((v) => v[j]!),
      input.groupIds,
      groups,
      means,
      totals,
      input.weights,
    );
    const out: GroupWald[] = [];
    for (const g of active) {
      const se = Array.from({ length: K }, (_, m) => Math.sqrt(moments.squares[m * groups + g]!));
      out[g] = {
        gaussian: moments.effective[g]! >= GAUSSIAN_MIN_COUNT && se.every((x) => Number.isFinite(x)),
        se,
        deltaSe: K > 1 ? Math.sqrt(moments.deltaSquares[g]!) : null,
      };
    }
    return out;
  });
}
