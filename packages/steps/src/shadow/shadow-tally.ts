import {
  type AgreementSummary,
  type Batch,
  type ClassAgreement,
  createClassAgreement,
  createLargestDifferences,
  createLatencyTally,
  createOutcomeSample,
  createScoreAgreement,
  createScoreDistributions,
  createSliceAgreement,
  createValueAgreement,
  createValueSkew,
  type RequestDifference,
  rowIdHash,
  type SliceSpec,
  type Task,
  type ValueAgreement,
} from "@gauntlet/core";
import type { OfflineFeatures } from "./offline-features.js";
import type { LogBatch } from "./read-shadow-log.js";

/** Rows the outcome metrics are computed on, at most: a bounded id-hashed sample beyond it. */
export const OUTCOME_SAMPLE_ROWS = 200_000;
/** Served and replayed champion scores closer than this are the same score (logs round to 6 decimals). */
export const REPLAY_TOLERANCE = 1e-4;
/** Request ids listed among the largest disagreements and skews. */
export const LARGEST = 10;

/** Options of {@link createShadowTally}. */
export interface ShadowTallyOptions {
  /** Default binary: scores compared at `threshold`. */
  task?: Task | undefined;
  threshold: number;
  /** Multiclass: `artefact.classes` as text (the logged values are their indices). */
  classes?: readonly string[] | undefined;
  /** Regression: predictions further apart than this disagree (`shadow.tolerance`). */
  tolerance?: number | undefined;
  specs: readonly SliceSpec[];
  minSliceSize: number;
  /** Feature values of the largest disagreements are copied only when true. */
  showRows: boolean;
  /** Model input columns (plain names), for `showRows`. */
  featureColumns: readonly string[];
  offline?: OfflineFeatures | undefined;
}

/**
 * Every streaming comparison of shadow-compare fed from one place: decision agreement, score
 * distributions, agreement per slice, the largest disagreements, logged latency, replay skew,
 * offline-feature skew and the labelled-row sample. Each row is visited once. Multiclass models
 * are compared by predicted class (see `createClassAgreement`), regression models by predicted
 * value (`createValueAgreement`); a disagreement is then a different class or a difference beyond
 * the tolerance, and that is what slices count and the largest disagreements rank first.
 *
 * @example
 * const tally = createShadowTally({ threshold: 0.5, specs: ["region"], minSliceSize: 30, showRows: false, featureColumns });
 * tally.add(part, challengerScores, replayedScores);
 */
export function createShadowTally(options: ShadowTallyOptions) {
  const task = options.task ?? "binary";
  const classes = options.classes ?? [];
  const decisions = createScoreAgreement(options.threshold);
  const agreement: {
    add(champion: number, challenger: number): boolean;
    finish():
      | ReturnType<ClassAgreement["finish"]>
      | ReturnType<ValueAgreement["finish"]>
      | { agreement: AgreementSummary };
  } =
    task === "multiclass"
      ? createClassAgreement(classes)
      : task === "regression"
        ? createValueAgreement(options.tolerance ?? 0)
        : { add: decisions.add, finish: () => ({ agreement: decisions.finish() }) };
  const distributions = createScoreDistributions(task === "regression" ? { histogram: "deciles" } : {});
  const labelled = (y: number) =>
    task === "regression" ? Number.isFinite(y) : task === "multiclass" ? y >= 0 : y === 0 || y === 1;
  const slices = createSliceAgreement(options.specs, { minSliceSize: options.minSliceSize });
  const largest = createLargestDifferences(LARGEST);
  const latency = { champion: createLatencyTally(), challenger: createLatencyTally() };
  const replay = createValueSkew(REPLAY_TOLERANCE, LARGEST);
  const outcomes = createOutcomeSample(OUTCOME_SAMPLE_ROWS);
  let replayed = false;
  let missingChallengerScore = 0;
  return {
    /** Adds one log batch; `challenger` are the candidate's scores (logged or scored here). */
    add(part: LogBatch, challenger: Float64Array, replayScores: Float64Array | null): void {
      for (let i = 0; i < part.ids.length; i++) {
        const a = part.champion[i]!;
        const b = challenger[i]!;
        const id = part.ids[i]!;
        if (replayScores) {
          replayed = true;
          replay.add(id, a, replayScores[i]!);
        }
        options.offline?.compare(id, part.batch, i);
        if (!Number.isFinite(b)) {
          missingChallengerScore++;
          continue;
        }
        const flip = agreement.add(a, b);
        if (task !== "multiclass") distributions.add(a, b);
        slices.add(part.batch.columns, i, flip);
        if (task === "multiclass") {
          if (flip) largest.add(1, () => difference(id, classes[a]!, classes[b]!, part.batch, i, options));
        } else {
          // Flipped decisions rank above any same-side difference: they are what reviewers act on.
          // A regression difference beyond the tolerance is one already by its size.
          const bonus = task === "binary" && flip ? 1 : 0;
          largest.add(Math.abs(a - b) + bonus, () => difference(id, a, b, part.batch, i, options));
        }
        if (part.championLatency) latency.champion.add(part.championLatency[i]!);
        if (part.challengerLatency) latency.challenger.add(part.challengerLatency[i]!);
        const y = part.outcome[i]!;
        if (labelled(y)) outcomes.add(rowIdHash(id), a, b, y, part.weight?.[i]);
      }
    },
    finish() {
      const r = replay.finish();
      const compared = agreement.finish();
      return {
        distribution: distributions.finish(),
        ...compared,
        slices: slices.finish(),
        largestDisagreements: largest.finish(),
        latency: { champion: latency.champion.finish(), challenger: latency.challenger.finish() },
        replay: replayed ? { ...r, tolerance: REPLAY_TOLERANCE } : null,
        features: options.offline?.finish() ?? null,
        outcomes,
        missingChallengerScore,
      };
    },
  };
}

function difference(
  id: string,
  a: number | string,
  b: number | string,
  batch: Batch,
  row: number,
  options: ShadowTallyOptions,
): RequestDifference {
  const out: RequestDifference = {
    id,
    a,
    b,
    diff: typeof a === "number" && typeof b === "number" ? Math.abs(a - b) : null,
  };
  if (!options.showRows) return out;
  const features: Record<string, number | string | null> = {};
  for (const name of options.featureColumns) {
    const column = batch.columns.get(name);
    if (!column || column.nulls[row]) features[name] = null;
    else features[name] = column.kind === "category" ? column.values[row]! : Number(column.values[row]);
  }
  out.features = features;
  return out;
}
