import type { CalibrationBin } from "../stats/calibration-curve.js";
import type { KllSketch } from "./kll-sketch.js";

/** Schema tag of a profile file, versioned like the result files. */
export const PROFILE_SCHEMA = "gauntlet/profile@1";

/**
 * The release asset next to `profile.json` holding the exact reference: a Parquet sample of the
 * evaluation data's feature columns and the model's scores (`monitoring.reference-sample`).
 */
export const REFERENCE_SAMPLE_FILE = "reference-sample.parquet";

/**
 * A mergeable, JSON-serialisable summary of a table: the reference `drift-check` compares
 * prediction logs against (`profile.json`, attached to each release by `promote`), and the summary
 * of the current logs built the same way. Built by streaming batches with
 * `createProfileBuilder`; combined with `mergeProfiles`.
 *
 * @example
 * const p: Profile = { schema: "gauntlet/profile@1", model: { name: "churn", version: "1.3.0" }, rows: 0, chunkRows: 10000, columns: {} };
 */
export interface Profile {
  schema: typeof PROFILE_SCHEMA;
  model?: { name: string; version: string };
  /** Rows summarised. */
  rows: number;
  /**
   * Rows per chunk of {@link ColumnChunk} summaries: the reference is cut into consecutive chunks
   * so the drift thresholds can be derived from how much the reference varies with itself.
   */
  chunkRows: number;
  /** Column summaries by (flattened, dotted) column name. */
  columns: Record<string, ColumnProfile>;
  /**
   * Which column of `columns` holds the model's own predictions on these rows, when the profile was
   * built with the model (promote's reference, for a manifest naming `monitoring.score`). Absent
   * from a profile of data alone. Added after `gauntlet/profile@1` first shipped: optional.
   */
  prediction?: ProfilePrediction;
  /**
   * Binary classifiers profiled with their model and labels: the reliability curve of the scores
   * on these rows. Optional, like `prediction`. `mergeProfiles` leaves both out: they describe one
   * model on one table, not something to add up.
   */
  calibration?: ProfileCalibration;
  /**
   * Multiclass classifiers profiled with their model and labels: each class's probability on these
   * rows against whether the label is that class (one-vs-rest), which drift-check recalibrates its
   * multiclass performance estimate on. Optional, like `calibration`, and left out by `mergeProfiles`.
   */
  classCalibration?: ProfileClassCalibration;
}

/**
 * A multiclass classifier's class probabilities on a profile's labelled rows, one-vs-rest on the
 * drift tally's score grid.
 *
 * @example
 * const c: ProfileClassCalibration = { label: "plan", classes: ["basic", "plus"], rows: 2,
 *   labelledScores: [{ bins: 4096, counts: [409, 1, 0, 3686, 0, 1] }, { bins: 4096, counts: [409, 0, 1, 3686, 1, 0] }] };
 */
export interface ProfileClassCalibration {
  /** The label column (`evaluation.label`). */
  label: string;
  /** The classes, as text, in the model's output order (`artefact.classes`). */
  classes: string[];
  /** Rows with probabilities and a known label. */
  rows: number;
  /** Per class, in `classes` order: its probability against "the label is this class". */
  labelledScores: LabelledScoreCounts[];
}

/**
 * The model's predictions as a column of a {@link Profile}.
 *
 * @example
 * const prediction: ProfilePrediction = { column: "score", kind: "score" };
 */
export interface ProfilePrediction {
  /** Name of the column in `columns`: the logged field `drift-check` compares it with (`monitoring.score`). */
  column: string;
  /**
   * `score`: the positive-class probability (binary, a number column); `class`: the predicted
   * class (multiclass, or a binary model without probabilities; a category column); `value`: the
   * predicted value (regression, a number column).
   */
  kind: "score" | "class" | "value";
}

/**
 * The reliability curve of a binary classifier's scores on a profile's rows, as `calibrationCurve`
 * computes it: equal-width bins of the score, empty bins left out.
 *
 * @example
 * const calibration: ProfileCalibration = { label: "churned", positive: "1", rows: 4,
 *   bins: [{ lower: 0, upper: 0.5, count: 2, meanScore: 0.15, positiveRate: 0.5 }] };
 */
export interface ProfileCalibration {
  /** The label column (`evaluation.label`) the observed rates are of. */
  label: string;
  /** The positive class, as text. */
  positive: string;
  /** Rows with both a score and a known label: the sum of the bins' counts. */
  rows: number;
  /** Per non-empty bin: its score interval, row count, mean score and share of positives. */
  bins: CalibrationBin[];
  /**
   * The same rows counted on a fine grid of equal-width score bins — the grid drift-check tallies
   * served scores on — which it fits its isotonic recalibration to. Added after
   * `gauntlet/profile@1` first shipped: optional (an older profile has the curve only).
   */
  labelledScores?: LabelledScoreCounts;
}

/**
 * Labelled scores counted per score bin: bin `b` of `bins` holds scores in `[b/bins, (b+1)/bins)`
 * (1 in the last); `counts` is `[bin, negatives, positives]` flattened over the occupied bins,
 * ascending.
 *
 * @example
 * const counts: LabelledScoreCounts = { bins: 4096, counts: [409, 3, 1, 3686, 0, 2] };
 */
export interface LabelledScoreCounts {
  bins: number;
  counts: number[];
}

/** The summary of one column, by kind. */
export type ColumnProfile = NumericColumnProfile | CategoricalColumnProfile | TimestampColumnProfile;

/** Counts every column profile has: `rows = count + nulls (+ infinite for numbers)`. */
interface Counted {
  /** Rows of the table (a column absent from a file counts as null there). */
  rows: number;
  /** Present, usable values. */
  count: number;
  /** Missing values. */
  nulls: number;
}

/**
 * A numeric column: exact moments (Welford/Chan), a quantile sketch, and a histogram on fixed
 * bin edges. Bins are right-closed: `(-∞, e₁], (e₁, e₂], …, (e_last, ∞)`.
 */
export interface NumericColumnProfile extends Counted {
  kind: "number";
  /** ±Infinity values: counted here, left out of moments, sketch and bins. */
  infinite: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sum of squared deviations from the mean (what makes the standard deviation mergeable). */
  m2: number;
  /** Population standard deviation (`ddof = 0`), `null` when there are no values. */
  std: number | null;
  sketch: KllSketch;
  bins: {
    /** Interior bin edges, ascending and distinct (`bins - 1` reference quantiles at most). */
    edges: number[];
    counts: number[];
    /**
     * `true` when every value was counted into its bin (the edges were known while streaming,
     * e.g. taken from a reference profile); `false` when the counts were read off the sketch at
     * the end, within its rank error.
     */
    exact: boolean;
  };
  /** Per-chunk sketches (smaller `k`), in stream order. */
  chunks: KllSketch[];
  /**
   * Every finite value, ascending: present when the profile was built with `exactValues` (the
   * drift monitor, a reference read from data) and the column held no more values than that
   * limit. Drift statistics are then computed on the values themselves, as SciPy computes them on
   * the same samples; without it the sketch stands in, within its rank error. In memory only:
   * `profile.json` never holds it, and a drift part file carries it as base64
   * (`encodeDriftState`).
   */
  values?: Float64Array;
}

/** A category or boolean column (booleans as the categories `"true"` and `"false"`). */
export interface CategoricalColumnProfile extends Counted {
  kind: "category" | "boolean";
  /** Count per value, the most frequent `maxCategories` values at most. */
  counts: Record<string, number>;
  /** Values beyond the cap, counted together. */
  other: number;
  /** Per-chunk counts (capped more tightly), in stream order. */
  chunks: { counts: Record<string, number>; other: number }[];
}

/** A timestamp column (milliseconds since the Unix epoch): its range only, as time moves by design. */
export interface TimestampColumnProfile extends Counted {
  kind: "timestamp";
  min: number | null;
  max: number | null;
}
