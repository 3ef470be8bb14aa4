import type { MetricName, Task } from "../manifest/metric-names.js";
import type { RowPass } from "../metrics/binary-pass.js";
import { COUNT_METRICS, prepareCountPass } from "../metrics/count-pass.js";
import type { GroupIds } from "../slicing/group-ids.js";
import type { ReplicateRunner } from "./bootstrap-metrics.js";
import type { IntervalRoutes } from "./interval-routes.js";

/** The rows a replicate pass walks: labels, scores per model, groupings and weights. */
export interface ReplicateRows {
  labels: Float64Array;
  groupIds: GroupIds[];
  weights?: Float64Array | undefined;
}

/** What {@link replicateDraws} needs from `evaluate`. */
export interface ReplicateDrawsInput {
  task: Task;
  classes: number;
  /** `evaluate`'s own passes, one per model, over every row and grouping. */
  passes: readonly RowPass[];
  /** Prepares a model's full pass over other rows (the same kind as `passes`). */
  prepare: (scores: Float64Array, rows: ReplicateRows) => RowPass;
  labels: Float64Array;
  /** Per model, by input row. */
  scores: readonly Float64Array[];
  weights?: Float64Array | undefined;
  rowIds: Uint32Array;
  groupIds: readonly GroupIds[];
  groups: number;
  threshold: number;
  /** Whether every pass is binary (the count pass exists for binary tallies only). */
  binary: boolean;
  /** The groups shown with intervals, and which of their metrics are bootstrapped. */
  active: readonly number[];
  routes: IntervalRoutes;
  metrics: readonly MetricName[];
  seed: number;
  replicates: number;
  run: ReplicateRunner;
}

/** What {@link replicateDraws} returns. */
export interface ReplicateDraws {
  /** Per model, indexed `(r · bootstrapGroups.length + gi) · bootstrapMetrics.length + di`. */
  draws: Float64Array[];
  /**
   * True when the draws are those of `evaluate`'s own passes over every row (or, without sample
   * weights, of a count pass over every row, whose integer sums are the same): what another reader
   * of the same replicates (fairness gaps) may reuse.
   */
  full: boolean;
}

/**
 * The bootstrap replicates of the groups and metrics `intervalRoutes` leaves to the bootstrap,
 * computed on the fewest rows that give the same numbers. Bootstrapped groups split in two: those
 * whose bootstrapped metrics all read the confusion counts (`COUNT_METRICS`, e.g. a large slice
 * with few predicted positives, where only precision and F1 are bootstrapped) replicate on a count
 * pass over their rows in input order; the others on a full pass over their rows walked in score
 * order. Every group's sums are over its own rows in its own pass's order, so a group's replicates
 * do not depend on which other rows share its pass: the split changes no number of the score
 * groups, and the count groups' counts are integer sums without sample weights (the same in any
 * order), sums in input order with them. When the count groups read only precision, recall and F1,
 * their pass also leaves out the rows that are true negatives for every model (a row's Poisson
 * weight is a hash of its id, so the others keep theirs): TP, FP and FN are the same sums, and the
 * TN count only tells "no rows" (null) from "no positives" (0), so a replicate that comes out `NaN`
 * sends the run back to every row. Entries of a metric that is Gaussian in a group are not
 * specified (`NaN` in a count group, or another value; `assembleEvaluation` never reads them).
 *
 * @example
 * const { draws } = replicateDraws({ ...fromEvaluate, routes, replicates: 1000, run: bootstrapMetrics });
 * draws[0].length; // 1000 × routes.bootstrapGroups.length × routes.bootstrapMetrics.length
 */
export function replicateDraws(input: ReplicateDrawsInput): ReplicateDraws {
  const { routes, metrics, replicates } = input;
  const bootstrapped = routes.bootstrapGroups;
  const drawn = routes.bootstrapMetrics;
  const models = input.passes.length;
  if (replicates === 0 || bootstrapped.length === 0)
    return { draws: input.passes.map(() => new Float64Array(0)), full: false };
  const M = metrics.length;
  // A group replicates on counts alone when every metric it bootstraps is a count metric.
  const countGroups = input.binary
    ? bootstrapped.filter((g) =>
        metrics.every((name, mi) => routes.gaussian[g * M + mi] === 1 || COUNT_METRICS.has(name)),
      )
    : [];
  const scoreGroups = bootstrapped.filter((g) => !countGroups.includes(g));
  const runs: { groups: number[]; metrics: MetricName[]; draws: Float64Array[]; full: boolean }[] = [];
  for (const [groups, counts] of [
    [scoreGroups, false],
    [countGroups, true],
  ] as const) {
    if (groups.length === 0) continue;
    const runMetrics = drawn.filter((name) => !counts || COUNT_METRICS.has(name));
    const read = (g: number, name: MetricName) => routes.gaussian[g * M + metrics.indexOf(name)] !== 1;
    // Rows that are true negatives for every model only add to the TN counts, which a group's
    // precision, recall and F1 read only to tell a replicate without rows (null) from one without
    // predicted or actual positives (0): without those rows, each such value is the full pass's
    // wherever it is not NaN (tp + fp + fn > 0 there), and a NaN sends the run back to every row.
    const skipNegatives =
      counts && groups.every((g) => runMetrics.every((name) => !read(g, name) || TN_FREE.has(name)));
    const replicate = (skip: boolean) => {
      const rows = replicateRows(input, groups, counts, skip);
      const draws = input.run({
        task: input.task,
        classes: input.classes,
        passes: rows.passes,
        metrics: runMetrics,
        groups,
        rowHashes: rows.rowHashes,
        ...(rows.weights ? { weights: rows.weights } : {}),
        seed: input.seed,
        from: 0,
        to: replicates,
      });
      return { draws, full: rows.passes === input.passes || (counts && rows.every && !input.weights) };
    };
    let run = replicate(skipNegatives);
    if (skipNegatives && anyReadNaN(run.draws, groups, runMetrics, read)) run = replicate(false);
    runs.push({ groups, metrics: runMetrics, ...run });
  }
  if (
    runs.length === 1 &&
    runs[0]!.groups.length === bootstrapped.length &&
    runs[0]!.metrics.length === drawn.length
  )
    return { draws: runs[0]!.draws, full: runs[0]!.full };
  // Two runs (or one over fewer metrics): their values into the one layout.
  const B = bootstrapped.length;
  const D = drawn.length;
  const draws = Array.from({ length: models }, () => new Float64Array(replicates * B * D).fill(Number.NaN));
  for (const run of runs) {
    const G = run.groups.length;
    const R = run.metrics.length;
    const gAt = run.groups.map((g) => bootstrapped.indexOf(g));
    const dAt = run.metrics.map((name) => drawn.indexOf(name));
    for (let m = 0; m < models; m++) {
      const from = run.draws[m]!;
      const to = draws[m]!;
      for (let r = 0; r < replicates; r++)
        for (let gi = 0; gi < G; gi++)
          for (let di = 0; di < R; di++) to[(r * B + gAt[gi]!) * D + dAt[di]!] = from[(r * G + gi) * R + di]!;
    }
  }
  return { draws, full: false };
}

/** Count metrics whose value does not depend on the TN count once tp + fp + fn > 0. */
const TN_FREE: ReadonlySet<MetricName> = new Set<MetricName>(["precision", "recall", "f1"]);

/** Whether some model's draws hold a `NaN` where `read(group, metric)`. */
function anyReadNaN(
  draws: readonly Float64Array[],
  groups: readonly number[],
  metrics: readonly MetricName[],
  read: (g: number, name: MetricName) => boolean,
): boolean {
  const G = groups.length;
  const R = metrics.length;
  for (const values of draws)
    for (let at = 0; at < values.length; at++)
      if (Number.isNaN(values[at]!) && read(groups[Math.floor(at / R) % G]!, metrics[at % R]!)) return true;
  return false;
}

/**
 * The passes one replicate run walks for `groups`: `evaluate`'s own when those groups' rows are
 * every row and every grouping holds one of them (and not `counts`), else passes over just the
 * rows in one of `groups` and the groupings that hold them; with `skipNegatives`, without the rows
 * that are true negatives for every model (label not 1, every score below the threshold).
 */
function replicateRows(
  input: ReplicateDrawsInput,
  groups: readonly number[],
  counts: boolean,
  skipNegatives: boolean,
): {
  passes: readonly RowPass[];
  rowHashes: Uint32Array;
  weights?: Float64Array | undefined;
  every: boolean;
} {
  const rows = input.labels.length;
  const { groupIds } = input;
  const inRun = new Uint8Array(input.groups);
  for (const g of groups) inRun[g] = 1;
  const keep: number[] = [];
  const walked = new Uint8Array(groupIds.length);
  const negative = (i: number) =>
    input.labels[i] !== 1 && input.scores.every((s) => !(s[i]! >= input.threshold));
  for (let i = 0; i < rows; i++) {
    if (skipNegatives && negative(i)) continue;
    let kept = false;
    for (let j = 0; j < groupIds.length; j++) {
      if (inRun[groupIds[j]![i]!] !== 1) continue;
      kept = true;
      walked[j] = 1;
    }
    if (kept) keep.push(i);
  }
  const every = keep.length === rows;
  if (!counts && every && !walked.includes(0))
    return { passes: input.passes, rowHashes: input.rowIds, weights: input.weights, every };
  const pick = <T extends Float64Array | Uint32Array | GroupIds>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length);
    keep.forEach((i, k) => {
      out[k] = a[i]!;
    });
    return out;
  };
  const subset: ReplicateRows = {
    labels: pick(input.labels),
    groupIds: groupIds.filter((_, j) => walked[j] === 1).map(pick),
    weights: input.weights ? pick(input.weights) : undefined,
  };
  const passes = input.scores.map((s) =>
    counts
      ? prepareCountPass({ ...subset, scores: pick(s), groups: input.groups }, input.threshold, groups)
      : input.prepare(pick(s), subset),
  );
  return { passes, rowHashes: pick(input.rowIds), weights: subset.weights, every };
}
