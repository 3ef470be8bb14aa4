import { assembleEvaluation } from "../bootstrap/assemble-evaluation.js";
import type { Evaluation } from "../bootstrap/evaluate.js";
import { inBootstrap, type PhaseClock } from "../bootstrap/phase-clock.js";
import { UserError } from "../errors/user-error.js";
import type { MetricName } from "../manifest/metric-names.js";
import { BT } from "../metrics/binary-pass.js";
import type { MetricValue } from "../metrics/metric-value.js";
import { RANK } from "../metrics/ranking-pass.js";
import { METRICS } from "../metrics/registry.js";
import { cellBootstrap } from "./cell-bootstrap.js";
import { CellState, type EvaluationState } from "./evaluation-state.js";
import { finalGroups } from "./final-groups.js";
import { collectCells } from "./group-cells.js";
import { pointTally } from "./point-tally.js";
import { binnedRanking, groupHistograms } from "./ranking-bins.js";
import { FINE_BINS } from "./score-code.js";

const SLACK = 1 + 1e-9;

/** Options of {@link finishEvaluation}: the manifest's `evaluation:` settings. */
export interface FinishOptions {
  metrics: readonly MetricName[];
  minSliceSize?: number;
  maxSlicesPerSpec?: number;
  /** Replicates; 0 = no intervals. */
  bootstrap?: number;
  seed?: number;
  confidence?: number;
  /** Takes the time spent on the bootstrap (replicates and intervals). */
  clock?: PhaseClock | undefined;
}

/** Exact unit-weight `RANK` sums per model for the result groups, given each state group's result group. */
export type ExactRanking = (finalOf: Int32Array, groups: number) => Float64Array[];

/**
 * The evaluation of a (merged) state, in `evaluate`'s shape. Counts, confusion metrics, log loss,
 * Brier and ECE are exact and equal bit for bit however the rows were sharded. ROC AUC and average
 * precision come from 1/128-log-odds score bins, each carrying `maxError`, a guaranteed bound
 * on its distance from the row-level value. Intervals are the paired cell bootstrap
 * (`cellBootstrap`), which depends only on the merged state, so they are identical for any
 * sharding.
 *
 * @example
 * const merged = mergeEvaluationStates(parts.map(parseEvaluationState));
 * finishEvaluation(merged, { metrics: ["roc_auc", "f1"], bootstrap: 1000, seed: 7 });
 * // { rows: 1000000, overall: { n: 1000000, metrics: { roc_auc: { value: 0.8123, ci: [...], maxError: 2e-4 }, ... } }, ... }
 */
export function finishEvaluation(state: EvaluationState, options: FinishOptions): Evaluation {
  if (!(state instanceof CellState)) throw new TypeError("not a state from createEvaluationState");
  return finishState(state, options);
}

/** {@link finishEvaluation}, with exact AUC and AP points when the caller still has the rows. */
export function finishState(state: CellState, options: FinishOptions, exact?: ExactRanking): Evaluation {
  const plan = planFinish(state, options);
  const sums = exact?.(plan.finalOf, plan.groups);
  return plan.assemble(plan.draws(), sums);
}

/**
 * {@link finishState} in three steps, so that the exact ranking sums (`ExactRanking`, given
 * `finalOf` and `groups`) can be computed elsewhere — in a worker thread — while this thread
 * draws the bootstrap replicates: `draws()`, then `assemble(draws, sums)`.
 */
export interface FinishPlan {
  /** Each state group's result group (−1: dropped). */
  finalOf: Int32Array;
  /** Result groups: all rows, then every slice. */
  groups: number;
  /** The paired cell bootstrap's replicates (none when `bootstrap` is 0). */
  draws(): Float64Array[];
  /** The evaluation, with exact ranking sums per model when given, else binned AUC and AP. */
  assemble(draws: Float64Array[], exact?: Float64Array[]): Evaluation;
}

/**
 * Checks the metrics and fixes the result groups of a finished state; see {@link FinishPlan}.
 *
 * @example
 * const plan = planFinish(state, { metrics: ["roc_auc"], bootstrap: 1000, seed: 7 });
 * const sums = rankingElsewhere(plan.finalOf, plan.groups); // a Promise of Float64Array[]
 * const draws = plan.draws();
 * plan.assemble(draws, await sums);
 */
export function planFinish(state: CellState, options: FinishOptions): FinishPlan {
  for (const name of options.metrics) {
    if (!METRICS[name].tasks.includes("binary")) {
      throw new UserError(`${name} is not a binary metric`, {
        ...(state.spec.file ? { file: state.spec.file } : {}),
        field: "evaluation.metrics",
        fix: `remove ${name}`,
      });
    }
  }
  const models = state.spec.baseline ? 2 : 1;
  const minSize = options.minSliceSize ?? 30;
  const final = finalGroups(state, options.maxSlicesPerSpec);
  const groups = final.members.length;
  const cells = collectCells(state, final.finalOf, groups);
  const histogram = groupHistograms(state, final.finalOf, groups, models);
  const active = [0, ...final.slices.flatMap((s, i) => (s.n >= minSize ? [i + 1] : []))];
  const replicates = options.bootstrap ?? 0;
  const draws = () =>
    replicates > 0
      ? inBootstrap(options.clock, () =>
          cellBootstrap({
            groups: active.map((g) => cells[g]!),
            identities: active.map((g) => final.identity[g]!),
            histogram: (gi) => histogram(active[gi]!),
            models,
            metrics: options.metrics,
            seed: options.seed ?? 0,
            replicates,
          }),
        )
      : [];
  const assemble = (draws: Float64Array[], sums?: Float64Array[]): Evaluation => {
    // Binned AUC and AP (with their error bounds) only when the rows are gone.
    const binned = sums
      ? undefined
      : Array.from({ length: groups }, (_, g) => {
          const hist = histogram(g);
          return Array.from({ length: models }, (_, m) => binnedRanking(hist, m * 2 * FINE_BINS));
        });
    const tallies = cells.map((c, g) =>
      Array.from({ length: models }, (_, m) => {
        const t = pointTally(c, m);
        t[BT.AUC] = sums ? sums[m]![g * RANK.SIZE + RANK.AUC]! : binned![g]![m]!.auc;
        t[BT.AP] = sums ? sums[m]![g * RANK.SIZE + RANK.AP]! : binned![g]![m]!.ap;
        return t;
      }),
    );
    const point = (model: number, g: number, name: MetricName): MetricValue & { maxError?: number } => {
      const t = tallies[g]![model]!;
      const value = METRICS[name].fromTally("binary", t, 0, 2);
      if (!binned || value.value === null) return value;
      const b = binned[g]![model]!;
      // The relative slack covers the rounding of the value itself, so the bound holds when it is tight.
      if (name === "roc_auc") return { ...value, maxError: (b.aucError / (t[BT.POS]! * t[BT.NEG]!)) * SLACK };
      if (name === "average_precision") return { ...value, maxError: (b.apError / t[BT.POS]!) * SLACK };
      return value;
    };
    return assembleEvaluation({
      rows: state.rows,
      slices: final.slices,
      metrics: options.metrics,
      point,
      models,
      active,
      draws,
      replicates,
      confidence: options.confidence ?? 0.95,
      minSize,
      clock: options.clock,
    });
  };
  return { finalOf: final.finalOf, groups, draws, assemble };
}
