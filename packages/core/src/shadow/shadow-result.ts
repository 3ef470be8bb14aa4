import type { Check } from "../results/check.js";

/** The `schema` of `shadow.json`. */
export const SHADOW_SCHEMA = "gauntlet/shadow@1";

/** What shadow-compare recommends for the candidate. */
export type Recommendation = "promote to canary" | "hold";

/** A value with its bootstrap interval, or why there is none. */
export interface IntervalValue {
  value: number | null;
  ci: [number, number] | null;
  reason?: string;
}

/** The 2×2 table of the two models' decisions at the threshold, in rows. */
export interface DecisionConfusion {
  bothPositive: number;
  bothNegative: number;
  /** Champion positive, challenger negative. */
  championOnly: number;
  /** Challenger positive, champion negative. */
  challengerOnly: number;
}

/** How far the two models' scores agree on the compared requests. */
export interface AgreementSummary {
  n: number;
  /**
   * Share of requests whose decisions differ: at the threshold (binary), in predicted class
   * (multiclass), by more than `shadow.tolerance` (regression); `null` with no rows.
   */
  disagreement: number | null;
  /** Binary only: the 2×2 table of both decisions (multiclass: `multiclass.confusion`). */
  confusion?: DecisionConfusion;
  /** Pearson correlation of the scores (`null` with fewer than two rows, a constant side, or classes). */
  correlation: number | null;
  meanAbsDiff: number | null;
}

/** The two score distributions: shift statistics and the histogram drawn in the comment. */
export interface DistributionSummary {
  /** PSI of the challenger's scores against the champion's, over the champion's deciles. */
  psi: number | null;
  ks: { statistic: number | null; pValue: number | null };
  reason?: string;
  /** Equal-width bins over [0, 1]: labels and row counts per model. */
  histogram: { labels: string[]; champion: number[]; challenger: number[] };
}

/** Agreement within one slice. */
export interface SliceAgreementResult {
  key: Record<string, string>;
  n: number;
  /** `null` when the slice is suppressed (fewer rows than the minimum slice size). */
  disagreement: number | null;
  suppressed: boolean;
}

/** One request among the largest score differences. */
export interface RequestDifference {
  id: string;
  /** The two values compared (scores, or a feature's served and offline values). */
  a: number | string | null;
  b: number | string | null;
  /** `|a − b|` for numbers, `null` for categories. */
  diff: number | null;
  /** Feature values, only with `show-rows: true`. */
  features?: Record<string, number | string | null>;
}

/** Latency percentiles in milliseconds. */
export interface LatencyPercentiles {
  n: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/**
 * One model's in-process timing of one batch size: percentiles of the time per call (`n` timed
 * calls) and rows scored per second at the median call time.
 */
export interface BatchTiming extends LatencyPercentiles {
  rowsPerSecond: number;
}

/**
 * Both artefacts timed in this process on the same batch of logged rows: input tensors, the
 * session run and output mapping included; network, request parsing and serialisation excluded.
 * `null` for a model that was not benchmarked (no champion artefact given).
 */
export interface BenchmarkBatch {
  /** Rows per call: 1 for per-request latency as served, more for throughput. */
  rows: number;
  champion: BatchTiming | null;
  challenger: BatchTiming | null;
}

/** Logged latency of both models and an in-process benchmark of both artefacts. */
export interface LatencySummary {
  logged: { champion: LatencyPercentiles | null; challenger: LatencyPercentiles | null };
  /**
   * One-row scoring in this process, on the same logged row for both models (the `rows: 1` entry
   * of `benchmarkBatches`). The `latency-p99` check reads the candidate's p99 from here only when
   * no candidate latency was logged.
   */
  benchmark: {
    champion: BatchTiming | null;
    challenger: BatchTiming | null;
  };
  /**
   * Every batch size timed in process, smallest first: one row (as served) and a throughput batch
   * of the first compared rows of the log (up to 1,024, fewer when the log is smaller). Absent in
   * results written before batch sizes were recorded.
   */
  benchmarkBatches?: BenchmarkBatch[];
}

/** Both models' metrics on the rows whose outcome arrived, with the paired difference. */
export interface OutcomeSummary {
  /** Rows with an outcome among the compared rows. */
  labelled: number;
  /** Rows the metrics were computed on (a bounded, id-hashed sample of `labelled`). */
  n: number;
  /** `false` when too few outcomes arrived to judge the candidate by them. */
  sufficient: boolean;
  minimum: number;
  metrics: Record<string, { champion: IntervalValue; challenger: IntervalValue; delta: IntervalValue }>;
  note: string;
  /** The log field (`shadow.weight`) every outcome metric was weighted by; absent: each request weighs 1. */
  weight?: string;
}

/** Skew between what was served and what the training pipeline computes. */
export interface SkewSummary {
  /** The champion artefact replayed on the logged features, against the served scores. */
  replay: {
    n: number;
    mismatched: number;
    share: number | null;
    tolerance: number;
    maxAbsDiff: number | null;
    largest: RequestDifference[];
  } | null;
  /** Served features against `offline-features`, joined by request id. */
  features: {
    source: string;
    matched: number;
    unmatched: number;
    mismatchedRows: number;
    share: number | null;
    missingOffline: string[];
    missingServed: string[];
    columns: {
      column: string;
      mismatched: number;
      share: number | null;
      maxAbsDiff: number | null;
      largest: RequestDifference[];
    }[];
  } | null;
}

/** A multiclass comparison: the two models' predicted classes on the same requests. */
export interface MulticlassAgreement {
  /** `artefact.classes`, as text, in the order of the table's rows and columns. */
  classes: string[];
  /** Share of requests on which both models predict the same class, with its 95% Wilson interval. */
  agreement: IntervalValue;
  /** `confusion[i][j]`: requests the champion puts in `classes[i]` and the candidate in `classes[j]`. */
  confusion: number[][];
  /** Each class's share of the requests under both models, and candidate − champion. */
  shares: { class: string; champion: number | null; challenger: number | null; shift: number | null }[];
}

/** A regression comparison: the two models' predicted values on the same requests. */
export interface RegressionAgreement {
  /** Predictions further apart than this count as a disagreement (`shadow.tolerance`). */
  tolerance: number;
  /** Requests whose predictions differ by more than `tolerance`. */
  beyondTolerance: number;
  /** Mean of candidate − champion, with a 95% normal interval (mean ± 1.96·sd/√n). */
  meanDifference: IntervalValue;
}

/** `shadow.json`: every check with its status, measured value, limit and reason. */
export interface ShadowResult {
  schema: typeof SHADOW_SCHEMA;
  model: { name: string; version: string; sha256: string };
  champion: { path: string | null; sha256: string | null; version: string | null };
  log: {
    source: string;
    files: string[];
    rows: number;
    compared: number;
    duplicateIds: number;
    /** The first few repeated ids (absent in older files). */
    repeatedIds?: string[];
    missingId: number;
    missingChampionScore: number;
    missingChallengerScore: number;
    otherVersions: Record<string, number>;
  };
  challengerScores: "logged" | "scored";
  /** Absent for binary classifiers (the default task); present for every other. */
  task?: "multiclass" | "regression";
  /** The decision threshold (binary); `null` for multiclass and regression, which have none. */
  threshold: number | null;
  status: "pass" | "warn" | "fail";
  recommendation: Recommendation;
  reasons: string[];
  checks: Check[];
  agreement: AgreementSummary;
  /** Multiclass only: class agreement, the champion × candidate table and each class's share shift. */
  multiclass?: MulticlassAgreement;
  /** Regression only: the mean difference and the share beyond the tolerance. */
  regression?: RegressionAgreement;
  /**
   * Binary: scores over [0, 1]. Multiclass: the histogram's bins are the classes and PSI is over
   * their shares (KS `null`). Regression: bins are the champion's deciles, counted from the sketches.
   */
  distribution: DistributionSummary;
  slices: SliceAgreementResult[];
  largestDisagreements: RequestDifference[];
  latency: LatencySummary;
  outcomes: OutcomeSummary | null;
  skew: SkewSummary;
  notes: string[];
}
