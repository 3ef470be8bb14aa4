import { prepareBinaryPass, type RowPass } from "../metrics/binary-pass.js";
import { prepareMulticlassPass } from "../metrics/multiclass-pass.js";
import { METRICS } from "../metrics/registry.js";
import { prepareRegressionPass } from "../metrics/regression-pass.js";
import type { Slice } from "../slicing/assign-slices.js";
import type { GroupIds } from "../slicing/group-ids.js";
import { assembleEvaluation } from "./assemble-evaluation.js";
import { bootstrapMetrics } from "./bootstrap-metrics.js";
import type { EvaluateInput, Evaluation } from "./evaluate.js";
import { inBootstrap } from "./phase-clock.js";

/** The rows {@link evaluateRows} reweights, with the settings `evaluate` takes. */
export type RowsInput = Omit<EvaluateInput, "labels" | "sliceColumns" | "specs" | "onSlicesAssigned"> & {
  labels: Float64Array | Uint8Array;
};

/**
 * `evaluate` once the rows are in groups: `groupIds[0]` all 0, `groupIds[i + 1][row]` the row's
 * slice of spec i plus one. Every replicate reweights every row by `poissonWeight(rowId, seed, r)`.
 */
export function evaluateRows(input: RowsInput, slices: readonly Slice[], groupIds: GroupIds[]): Evaluation {
  const rows = input.labels.length;
  const classes = input.classes ?? 2;
  const groups = 1 + slices.length;
  const prepare = (scores: Float64Array): RowPass => {
    const passRows = { labels: input.labels, scores, groupIds, groups };
    if (input.task === "binary") return prepareBinaryPass(passRows, input.threshold ?? 0.5);
    if (input.task === "multiclass") return prepareMulticlassPass(passRows, classes);
    return prepareRegressionPass(passRows);
  };
  const passes = [prepare(input.scores), ...(input.baselineScores ? [prepare(input.baselineScores)] : [])];
  const tallies = passes.map((pass) => {
    const tally = new Float64Array(groups * pass.tallySize);
    pass.run(null, tally);
    return tally;
  });
  const minSize = input.minSliceSize ?? 30;
  const active = [0, ...slices.flatMap((s, i) => (s.n >= minSize ? [i + 1] : []))];
  const replicates = input.bootstrap ?? 0;
  const draws =
    replicates > 0
      ? inBootstrap(input.clock, () =>
          bootstrapMetrics({
            task: input.task,
            classes,
            passes,
            metrics: input.metrics,
            groups: active,
            rowHashes: input.rowIds,
            seed: input.seed ?? 0,
            from: 0,
            to: replicates,
          }),
        )
      : [];
  return assembleEvaluation({
    rows,
    slices,
    metrics: input.metrics,
    point: (model, g, name) =>
      METRICS[name].fromTally(input.task, tallies[model]!, g * passes[model]!.tallySize, classes),
    models: passes.length,
    active,
    draws,
    replicates,
    confidence: input.confidence ?? 0.95,
    minSize,
    clock: input.clock,
  });
}
