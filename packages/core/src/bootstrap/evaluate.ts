import { UserError } from "../errors/user-error.js";
import type { MetricName, Task } from "../manifest/metric-names.js";
import { prepareBinaryPass, type RowPass } from "../metrics/binary-pass.js";
import type { MetricValue } from "../metrics/metric-value.js";
import { prepareMulticlassPass } from "../metrics/multiclass-pass.js";
import { METRICS } from "../metrics/registry.js";
import { prepareRegressionPass } from "../metrics/regression-pass.js";
import { assignSlices } from "../slicing/assign-slices.js";
import type { SliceSpec } from "../slicing/slice-spec.js";
import type { Column } from "../table/column.js";
import { bootstrapMetrics } from "./bootstrap-metrics.js";
import { percentileInterval } from "./percentile-interval.js";

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
  /** `rowIdHash` of each row's key: bootstrap weights follow the row, not its position. */
  rowIds: Uint32Array;
  sliceColumns: ReadonlyMap<string, Column>;
  specs: readonly SliceSpec[];
  metrics: readonly MetricName[];
  threshold?: number;
  minSliceSize?: number;
  /** Replicates; 0 = no intervals. */
  bootstrap?: number;
  seed?: number;
  confidence?: number;
  maxSlicesPerSpec?: number;
  /** The manifest path, for error messages. */
  file?: string;
}

/** One metric's point value, interval and (when null, or chosen by convention) reason. */
export interface MetricResult {
  value: number | null;
  ci: [number, number] | null;
  reason?: string;
}

/** `evaluation.json`'s overall block. */
export interface GroupResult {
  n: number;
  metrics: Partial<Record<MetricName, MetricResult>>;
}

/** A slice; suppressed ones (fewer than `min-slice-size` rows) show `n` as `"< k"` and no metrics. */
export interface SliceResult {
  key: Record<string, string>;
  n: number | `< ${number}`;
  suppressed: boolean;
  metrics: Partial<Record<MetricName, MetricResult>>;
  /** Only on the `(other)` slice that pools values beyond the per-spec cap. */
  otherValues?: number;
}

/** The baseline's block: its metrics plus the paired candidate − baseline delta. */
export interface BaselineResult {
  overall: GroupResult & { delta: Partial<Record<MetricName, MetricResult>> };
  slices: (SliceResult & { delta: Partial<Record<MetricName, MetricResult>> })[];
}

/** What `evaluate` returns: the metric part of `evaluation.json`. */
export interface Evaluation {
  rows: number;
  overall: GroupResult;
  slices: SliceResult[];
  baseline?: BaselineResult;
}

/**
 * Scores the candidate (and baseline) overall and per slice, with percentile bootstrap intervals
 * and the paired bootstrap of candidate − baseline. Point values are the unit-weight pass, so they
 * equal the standalone metric functions; replicate r reweights every row by
 * `poissonWeight(rowId, seed, r)` for all groups and both models at once.
 *
 * @example
 * evaluate({ task: "binary", labels, scores, rowIds, sliceColumns, specs: ["region"], metrics: ["roc_auc"], bootstrap: 1000, seed: 7 });
 * // { rows: 5000, overall: { n: 5000, metrics: { roc_auc: { value: 0.81, ci: [0.79, 0.83] } } }, slices: [...] }
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const rows = input.labels.length;
  const classes = input.classes ?? 2;
  const minSize = input.minSliceSize ?? 30;
  const confidence = input.confidence ?? 0.95;
  checkInput(input, rows, classes);
  const assignment = assignSlices(input.sliceColumns, rows, input.specs, {
    ...(input.maxSlicesPerSpec !== undefined ? { maxSlicesPerSpec: input.maxSlicesPerSpec } : {}),
    ...(input.file !== undefined ? { file: input.file } : {}),
  });
  const groupIds = [new Uint32Array(rows), ...assignment.rowSlice.map((ids) => ids.map((id) => id + 1))];
  const groups = 1 + assignment.slices.length;
  const prepare = (scores: Float64Array): RowPass => {
    const passRows = { labels: input.labels, scores, groupIds, groups };
    if (input.task === "binary") return prepareBinaryPass(passRows, input.threshold ?? 0.5);
    if (input.task === "multiclass") return prepareMulticlassPass(passRows, classes);
    return prepareRegressionPass(passRows);
  };
  const passes = [prepare(input.scores), ...(input.baselineScores ? [prepare(input.baselineScores)] : [])];

  const points = passes.map((pass) => {
    const tally = new Float64Array(groups * pass.tallySize);
    pass.run(null, tally);
    return (g: number, name: MetricName): MetricValue =>
      METRICS[name].fromTally(input.task, tally, g * pass.tallySize, classes);
  });
  const active = [0, ...assignment.slices.flatMap((s, i) => (s.n >= minSize ? [i + 1] : []))];
  const position = new Map(active.map((g, gi) => [g, gi]));
  const replicates = input.bootstrap ?? 0;
  const draws =
    replicates > 0
      ? bootstrapMetrics({
          task: input.task,
          classes,
          passes,
          metrics: input.metrics,
          groups: active,
          rowHashes: input.rowIds,
          seed: input.seed ?? 0,
          from: 0,
          to: replicates,
        })
      : [];
  const column = (values: (m: number) => number, gi: number, mi: number) => {
    const out = new Float64Array(replicates);
    for (let r = 0; r < replicates; r++)
      out[r] = values((r * active.length + gi) * input.metrics.length + mi);
    return out;
  };
  const resultOf = (
    point: MetricValue,
    values: (m: number) => number,
    gi: number,
    mi: number,
  ): MetricResult => {
    const base: MetricResult = {
      value: point.value,
      ci: null,
      ...(point.reason ? { reason: point.reason } : {}),
    };
    if (replicates === 0 || point.value === null) return base;
    const interval = percentileInterval(column(values, gi, mi), confidence);
    if (interval.ci) return { ...base, ci: interval.ci };
    return { ...base, reason: [point.reason, `no interval: ${interval.reason}`].filter(Boolean).join("; ") };
  };
  const metricsOf = (model: number, g: number) => {
    const gi = position.get(g)!;
    const values = (i: number) => draws[model]![i]!;
    return Object.fromEntries(
      input.metrics.map((name, mi) => [name, resultOf(points[model]!(g, name), values, gi, mi)]),
    );
  };
  const deltaOf = (g: number) => {
    const gi = position.get(g)!;
    const values = (i: number) => draws[0]![i]! - draws[1]![i]!;
    return Object.fromEntries(
      input.metrics.map((name, mi) => {
        const c = points[0]!(g, name);
        const b = points[1]!(g, name);
        const point: MetricValue =
          c.value === null || b.value === null
            ? {
                value: null,
                reason: `undefined for the ${c.value === null ? "candidate" : "baseline"}: ${(c.value === null ? c : b).reason}`,
              }
            : { value: c.value - b.value };
        return [name, resultOf(point, values, gi, mi)];
      }),
    );
  };
  const sliceOf = (model: number) =>
    assignment.slices.map((slice, i): SliceResult => {
      const suppressed = slice.n < minSize;
      return {
        key: slice.key,
        n: suppressed ? `< ${minSize}` : slice.n,
        suppressed,
        metrics: suppressed ? {} : metricsOf(model, i + 1),
        ...(slice.otherValues !== undefined ? { otherValues: slice.otherValues } : {}),
      };
    });
  const result: Evaluation = { rows, overall: { n: rows, metrics: metricsOf(0, 0) }, slices: sliceOf(0) };
  if (passes.length > 1) {
    result.baseline = {
      overall: { n: rows, metrics: metricsOf(1, 0), delta: deltaOf(0) },
      slices: sliceOf(1).map((slice, i) => ({ ...slice, delta: slice.suppressed ? {} : deltaOf(i + 1) })),
    };
  }
  return result;
}

function checkInput(input: EvaluateInput, rows: number, classes: number): void {
  const where = (field: string, fix: string) => ({ ...(input.file ? { file: input.file } : {}), field, fix });
  const width = input.task === "multiclass" ? classes : 1;
  for (const [name, scores] of [
    ["candidate", input.scores],
    ["baseline", input.baselineScores],
  ] as const) {
    if (!scores) continue;
    if (scores.length !== rows * width)
      throw new RangeError(`${name}: expected ${rows * width} scores, got ${scores.length}`);
    const bad = scores.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new UserError(
        `the ${name} model produced a non-finite score at row ${Math.floor(bad / width) + 1}`,
        where("artefact.outputs", "check the model's output mapping and its inputs for that row"),
      );
    }
  }
  if (input.rowIds.length !== rows)
    throw new RangeError(`expected ${rows} row ids, got ${input.rowIds.length}`);
  for (const name of input.metrics) {
    if (!METRICS[name].tasks.includes(input.task)) {
      throw new UserError(
        `${name} is not a ${input.task} metric`,
        where("evaluation.metrics", `remove ${name}`),
      );
    }
  }
  const ok =
    input.task === "binary"
      ? (v: number) => v === 0 || v === 1
      : input.task === "multiclass"
        ? (v: number) => Number.isInteger(v) && v >= 0 && v < classes
        : (v: number) => Number.isFinite(v);
  const bad = input.labels.findIndex((v) => !ok(v));
  if (bad >= 0) {
    const expected =
      input.task === "binary"
        ? "0 or 1 (the positive class)"
        : input.task === "multiclass"
          ? `a class of artefact.classes`
          : "a finite number";
    throw new UserError(
      `label at row ${bad + 1} is ${input.labels[bad]}, expected ${expected}`,
      where("evaluation.label", "fill or drop rows with missing or unknown labels"),
    );
  }
}
