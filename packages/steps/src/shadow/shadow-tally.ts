import {
  type Batch,
  createLargestDifferences,
  createLatencyTally,
  createOutcomeSample,
  createScoreAgreement,
  createScoreDistributions,
  createSliceAgreement,
  createValueSkew,
  type RequestDifference,
  rowIdHash,
  type SliceSpec,
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
  threshold: number;
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
 * offline-feature skew and the labelled-row sample. Each row is visited once.
 *
 * @example
 * const tally = createShadowTally({ threshold: 0.5, specs: ["region"], minSliceSize: 30, showRows: false, featureColumns });
 * tally.add(part, challengerScores, replayedScores);
 */
export function createShadowTally(options: ShadowTallyOptions) {
  const agreement = createScoreAgreement(options.threshold);
  const distributions = createScoreDistributions();
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
        distributions.add(a, b);
        slices.add(part.batch.columns, i, flip);
        // Flipped decisions rank above any same-side difference: they are what reviewers act on.
        largest.add(Math.abs(a - b) + (flip ? 1 : 0), () => difference(id, a, b, part.batch, i, options));
        if (part.championLatency) latency.champion.add(part.championLatency[i]!);
        if (part.challengerLatency) latency.challenger.add(part.challengerLatency[i]!);
        const y = part.outcome[i]!;
        if (y === 0 || y === 1) outcomes.add(rowIdHash(id), a, b, y);
      }
    },
    finish() {
      const r = replay.finish();
      return {
        agreement: agreement.finish(),
        distribution: distributions.finish(),
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
  a: number,
  b: number,
  batch: Batch,
  row: number,
  options: ShadowTallyOptions,
): RequestDifference {
  const out: RequestDifference = { id, a, b, diff: Math.abs(a - b) };
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
