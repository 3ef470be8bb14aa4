import type { MetricName, Task } from "../manifest/metric-names.js";
import type { RowPass } from "../metrics/binary-pass.js";
import { METRICS, type MetricDefinition } from "../metrics/registry.js";
import { fillPoissonWeights, seedMixedHashes } from "./poisson-weight.js";

/** Inputs of {@link bootstrapMetrics}. */
export interface BootstrapInput {
  task: Task;
  /** Multiclass only: number of classes. */
  classes?: number;
  /** One prepared pass per model (candidate, baseline), over the same rows and groups. */
  passes: readonly RowPass[];
  metrics: readonly MetricName[];
  /** Groups whose metrics to read (others are accumulated but not read: suppressed slices). */
  groups: readonly number[];
  /** Row-id hashes (see `rowIdHash`), one per row. */
  rowHashes: Uint32Array;
  /**
   * Sample weights, one per row as `rowHashes` (see `EvaluateInput.weights`): replicate r weighs
   * row i `weights[i] × poissonWeight(rowHashes[i], seed, r)`. Absent: the Poisson counts alone.
   */
  weights?: Float64Array | undefined;
  seed: number;
  /**
   * Read each replicate with these instead of `METRICS[name]` (one per metric; custom metrics).
   * Functions do not cross to worker threads: call `bootstrapMetrics` itself with them.
   */
  readers?: readonly Pick<MetricDefinition, "fromTally">[];
  /** Replicates `[from, to)`; ranges can run in separate workers and be concatenated. */
  from: number;
  to: number;
}

/**
 * Runs {@link bootstrapMetrics} for an evaluation, possibly split over threads; it must return what
 * `bootstrapMetrics(input)` returns, bit for bit (replicate r's weights depend only on the row, the
 * seed and r, so replicate ranges computed apart and concatenated are the same numbers).
 */
export type ReplicateRunner = (input: BootstrapInput) => Float64Array[];

/**
 * Replicate values of every metric of every group, for every model, on the same Poisson(1)
 * resampled rows (so candidate − baseline differences are paired). Result `[model]` is a
 * `Float64Array` indexed `((r − from) · groups.length + gi) · metrics.length + mi`, `NaN` where a
 * replicate leaves a metric undefined. Each replicate is one weight vector and one pass per model:
 * O(rows × (1 + specs)) per replicate and model, no per-slice sorting.
 *
 * @example
 * const [candidate] = bootstrapMetrics({ task: "binary", passes: [pass], metrics: ["roc_auc"], groups: [0],
 *   rowHashes, seed: 7, from: 0, to: 1000 });
 * percentileInterval(candidate, 0.95); // { ci: [0.79, 0.84] } for example
 */
export function bootstrapMetrics(input: BootstrapInput): Float64Array[] {
  const { passes, metrics, groups, task } = input;
  const classes = input.classes ?? 2;
  const count = Math.max(0, input.to - input.from);
  // Bytes, not doubles: the passes read them in score order, and 1 MB per million rows stays in cache.
  // With sample weights each row weighs its weight × its Poisson count: doubles, filled in place.
  const sample = input.weights;
  if (sample && sample.length !== input.rowHashes.length)
    throw new RangeError(`expected ${input.rowHashes.length} weights, got ${sample.length}`);
  const weights = sample ? new Float64Array(sample.length) : new Uint8Array(input.rowHashes.length);
  const tallies = passes.map((p) => new Float64Array(p.groups * p.tallySize));
  const readers = input.readers ?? metrics.map((name) => METRICS[name]);
  const out = passes.map(() => new Float64Array(count * groups.length * readers.length));
  // The seed's half of every row's hash, once for all replicates.
  const mixed = seedMixedHashes(input.rowHashes, input.seed);
  for (let r = 0; r < count; r++) {
    fillPoissonWeights(mixed, input.seed, input.from + r, weights, true);
    if (sample) for (let i = 0; i < sample.length; i++) weights[i]! *= sample[i]!;
    passes.forEach((pass, m) => {
      const tally = tallies[m]!;
      pass.run(weights, tally);
      const values = out[m]!;
      let at = r * groups.length * readers.length;
      for (const g of groups) {
        for (const reader of readers)
          values[at++] = reader.fromTally(task, tally, g * pass.tallySize, classes).value ?? Number.NaN;
      }
    });
  }
  return out;
}
