import { evaluate } from "../bootstrap/evaluate.js";
import { fmix32 } from "../bootstrap/row-hash.js";
import type { MetricName, Task } from "../manifest/metric-names.js";
import { createRng, type Rng } from "../random/rng.js";
import type { EstimatedValue } from "./drift-result.js";
import { sortedLabelledRows } from "./sorted-labelled-rows.js";

export { sortedLabelledRows };

/** The binary metrics drift-check reports, realised and estimated, by their manifest names. */
export const PERFORMANCE_METRICS = ["roc_auc", "accuracy", "precision", "recall"] as const;

/** A bounded, seeded uniform sample of labelled rows (reservoir sampling). */
export interface LabelledSample {
  add(score: number, label: number): void;
  /** Labelled rows offered; the sample holds `min(seen, capacity)` of them. */
  readonly seen: number;
  rows(): { scores: Float64Array; labels: Float64Array };
}

/**
 * Keeps at most `capacity` labelled rows, each offered row equally likely to be kept (Vitter's
 * algorithm R), so memory stays bounded on logs of any size while the realised metrics stay
 * unbiased. Seeded: the same rows in the same order give the same sample.
 *
 * https://en.wikipedia.org/wiki/Reservoir_sampling
 *
 * @example
 * const sample = createLabelledSample(100_000, "churn");
 * sample.add(0.8, 1);
 * sample.rows(); // { scores: Float64Array [0.8], labels: Float64Array [1] }
 */
export function createLabelledSample(capacity: number, seed: string): LabelledSample {
  const rng = createRng(`labelled/${seed}`);
  let scores = new Float64Array(Math.min(capacity, 1024));
  let labels = new Float64Array(scores.length);
  let seen = 0;
  return {
    add(score, label) {
      seen += 1;
      const at = reservoirSlot(seen, capacity, rng);
      if (at < 0) return;
      if (at >= scores.length) {
        const size = Math.min(capacity, scores.length * 2);
        const grownScores = new Float64Array(size);
        const grownLabels = new Float64Array(size);
        grownScores.set(scores);
        grownLabels.set(labels);
        scores = grownScores;
        labels = grownLabels;
      }
      scores[at] = score;
      labels[at] = label;
    },
    get seen() {
      return seen;
    },
    rows() {
      const n = Math.min(seen, capacity);
      return { scores: scores.slice(0, n), labels: labels.slice(0, n) };
    },
  };
}

/** Labelled rows a realised-metrics sample keeps by default (per sample; per window for the prediction tally). */
export const LABELLED_CAPACITY = 100_000;

/**
 * Where algorithm R puts the `seen`-th row offered to a sample of `capacity` rows: the first
 * `capacity` rows fill the slots in order, a later one replaces a uniformly drawn slot with
 * probability `capacity / seen` — `-1` when it is not kept.
 *
 * @example
 * reservoirSlot(3, 100_000, rng); // 2
 */
export function reservoirSlot(seen: number, capacity: number, rng: Rng): number {
  if (seen <= capacity) return seen - 1;
  const at = rng.int(seen);
  return at < capacity ? at : -1;
}

/**
 * ROC AUC, accuracy, precision and recall of labelled rows (scikit-learn's definitions), each
 * with evaluate's interval at `confidence` on the same rows: Gaussian (influence functions) where
 * the metric's counts reach `intervalRoutes`' minimum, else the Poisson bootstrap (row i weighs
 * `poissonWeight(fmix32(i + 1), seed, r)` in replicate r). Undefined metrics (one class, no rows)
 * are `null` with the reason.
 *
 * @example
 * realisedMetrics(Float64Array.of(0.9, 0.2, 0.7, 0.4), Float64Array.of(1, 0, 1, 1), { threshold: 0.5 });
 * // { roc_auc: { value: 1, ci: [...] }, accuracy: { value: 0.75, ci: [...] }, ... }
 */
export function realisedMetrics(
  scores: Float64Array,
  labels: Float64Array,
  options: RealisedMetricsOptions,
): Record<string, EstimatedValue> {
  const n = labels.length;
  if (scores.length !== n) throw new RangeError(`expected ${n} scores for ${n} labels, got ${scores.length}`);
  return withIntervals("binary", { labels, scores }, PERFORMANCE_METRICS, 2, options);
}

/** The realised metrics drift-check offers per window, by task (multiclass and regression: of the logged prediction). */
export const LOGGED_PREDICTION_METRICS = {
  binary: PERFORMANCE_METRICS,
  multiclass: ["accuracy", "f1_macro"],
  regression: ["mae", "rmse"],
} as const satisfies Record<Task, readonly MetricName[]>;

/**
 * Realised metrics of logged predictions against the outcomes that arrived: binary ROC AUC,
 * accuracy, precision and recall of the score at `threshold` ({@link realisedMetrics}), multiclass accuracy
 * and macro F1 of the logged class (no log loss: the log carries the class, not probabilities),
 * regression MAE and RMSE — evaluate's definitions and intervals, as {@link realisedMetrics}
 * (multiclass and regression always bootstrap, as in evaluate). The classes are the sorted union
 * of the predicted and actual ones; rows are put in (actual, predicted) order first, so the result
 * depends on which rows were seen, not on the order they arrived in.
 *
 * @example
 * realisedTaskMetrics("multiclass", ["a", "b", "b"], ["a", "b", "c"]);
 * // { accuracy: { value: 0.667, ci: [...] }, f1_macro: { value: 0.556, ci: [...] } }
 */
export function realisedTaskMetrics(
  task: Task,
  predicted: readonly (string | number)[],
  actual: readonly (string | number)[],
  options: Partial<RealisedMetricsOptions> = {},
): Record<string, EstimatedValue> {
  const n = actual.length;
  if (predicted.length !== n)
    throw new RangeError(`expected ${n} predictions for ${n} outcomes, got ${predicted.length}`);
  if (task === "binary") {
    const { scores, labels } = sortedLabelledRows({
      scores: predicted as number[],
      labels: actual as number[],
    });
    return realisedMetrics(scores, labels, { ...options, threshold: options.threshold ?? 0.5 });
  }
  const metrics = LOGGED_PREDICTION_METRICS[task];
  if (task === "regression") {
    const order = [...actual.keys()].sort(
      (a, b) => Number(actual[a]) - Number(actual[b]) || Number(predicted[a]) - Number(predicted[b]),
    );
    const labels = Float64Array.from(order, (i) => Number(actual[i]));
    const scores = Float64Array.from(order, (i) => Number(predicted[i]));
    return withIntervals("regression", { labels, scores }, metrics, 2, options);
  }
  const names = [...new Set([...actual, ...predicted].map(String))].sort();
  const index = new Map(names.map((c, i) => [c, i]));
  const classes = Math.max(names.length, 1);
  const order = [...actual.keys()].sort(
    (a, b) =>
      index.get(String(actual[a]))! - index.get(String(actual[b]))! ||
      index.get(String(predicted[a]))! - index.get(String(predicted[b]))!,
  );
  const labels = Float64Array.from(order, (i) => index.get(String(actual[i]))!);
  // The logged class as a one-hot row: its argmax is the class itself.
  const scores = new Float64Array(n * classes);
  order.forEach((i, row) => {
    scores[row * classes + index.get(String(predicted[i]))!] = 1;
  });
  return withIntervals("multiclass", { labels, scores }, metrics, classes, options);
}

/**
 * Each metric's point value and interval from {@link evaluate} itself on the rows (one group, no
 * slices): so a window's interval takes the route evaluate's would — Gaussian from the influence
 * functions where the counts the metric averages over are large (`intervalRoutes`: 2,000 of each
 * class for ROC AUC, 1,000 rows, positives or predicted positives for accuracy, recall,
 * precision; binary only, as in evaluate), else evaluate's exact Poisson bootstrap (percentile, or
 * BCa for means of per-row values) — with row i hashed as `fmix32(i + 1)`, so rows in the same
 * order give the same replicates.
 */
function withIntervals(
  task: Task,
  rows: { labels: Float64Array; scores: Float64Array },
  metrics: readonly MetricName[],
  classes: number,
  options: Partial<RealisedMetricsOptions>,
): Record<string, EstimatedValue> {
  const n = rows.labels.length;
  const { overall } = evaluate({
    task,
    labels: rows.labels,
    scores: rows.scores,
    classes,
    rowIds: positionHashes(n),
    sliceColumns: new Map(),
    specs: [],
    metrics,
    threshold: options.threshold ?? 0.5,
    bootstrap: options.replicates ?? 200,
    seed: options.seed ?? 7,
    confidence: options.confidence ?? 0.95,
  });
  const out: Record<string, EstimatedValue> = {};
  for (const name of metrics) {
    const result = overall.metrics[name]!;
    out[name] =
      result.value === null
        ? { value: null, ...(result.reason ? { reason: result.reason } : {}) }
        : { value: result.value, ci: result.ci ?? null };
  }
  return out;
}

/** `fmix32(i + 1)` at position i: the same for every sample, so made once, grown to the longest (read, never written). */
let hashes = new Uint32Array(0);

/**
 * Row i's hash `fmix32(i + 1)` for positions 0 to `n − 1` (a view of the shared array).
 *
 * @example
 * positionHashes(2); // Uint32Array [fmix32(1), fmix32(2)]
 */
function positionHashes(n: number): Uint32Array {
  if (hashes.length < n) {
    const grown = new Uint32Array(Math.max(n, hashes.length * 2));
    grown.set(hashes);
    for (let i = hashes.length; i < grown.length; i++) grown[i] = fmix32(i + 1);
    hashes = grown;
  }
  return hashes.subarray(0, n);
}

/** How {@link realisedMetrics} bootstraps; `threshold` is the decision threshold. */
export interface RealisedMetricsOptions {
  threshold: number;
  /** Bootstrap replicates (default 200; 0: no intervals). */
  replicates?: number;
  /** Interval coverage (default 0.95). */
  confidence?: number;
  /** Seeds the Poisson weights (default 7). */
  seed?: number;
}

/** A labelled sample as plain JSON: what a shard's drift state carries. */
export interface LabelledSampleState {
  /** Labelled rows offered to the sample. */
  seen: number;
  scores: number[];
  labels: number[];
}

/**
 * One uniform sample of at most `capacity` rows out of the rows offered to all `parts`. When
 * together they saw no more than `capacity` rows it is all of them (so a merge loses nothing);
 * beyond, each part contributes a hypergeometric share of its rows, drawn with a seeded generator,
 * which keeps every offered row equally likely to be in the result.
 *
 * @example
 * mergeLabelledSamples([{ seen: 2, scores: [0.1, 0.9], labels: [0, 1] }, { seen: 1, scores: [0.4], labels: [0] }], 100_000, "churn");
 * // { seen: 3, scores: [0.1, 0.9, 0.4], labels: [0, 1, 0] }
 */
export function mergeLabelledSamples(
  parts: readonly LabelledSampleState[],
  capacity: number,
  seed: string,
): LabelledSampleState {
  const kept = mergedSampleRows(
    parts.map((p) => ({ seen: p.seen, kept: p.scores.length })),
    capacity,
    seed,
  );
  return {
    seen: parts.reduce((sum, p) => sum + p.seen, 0),
    scores: parts.flatMap((p, i) => kept[i]!.map((j) => p.scores[j]!)),
    labels: parts.flatMap((p, i) => kept[i]!.map((j) => p.labels[j]!)),
  };
}

/**
 * Which of each part's kept rows a merged uniform sample of at most `capacity` rows holds
 * (indices into the part's kept rows, per part): every kept row while the parts saw no more than
 * `capacity` together, else a hypergeometric share of each part's offered rows, drawn with a
 * generator seeded by `seed`. Each part's kept rows must be a uniform sample of the rows it saw
 * (a reservoir, {@link reservoirSlot}, or an earlier merge).
 *
 * @example
 * mergedSampleRows([{ seen: 2, kept: 2 }, { seen: 1, kept: 1 }], 100_000, "churn"); // [[0, 1], [0]]
 */
export function mergedSampleRows(
  parts: readonly { seen: number; kept: number }[],
  capacity: number,
  seed: string,
): number[][] {
  const seen = parts.reduce((sum, p) => sum + p.seen, 0);
  const all = (p: { kept: number }) => Array.from({ length: p.kept }, (_, j) => j);
  if (seen <= capacity) return parts.map(all);
  const rng = createRng(`labelled-merge/${seed}`);
  // Draw `capacity` rows without replacement from the union of the offered rows, part by part.
  const remaining = parts.map((p) => p.seen);
  const take = parts.map(() => 0);
  let left = seen;
  for (let drawn = 0; drawn < capacity; drawn++) {
    let at = rng.int(left);
    let part = 0;
    while (at >= remaining[part]!) at -= remaining[part++]!;
    remaining[part]! -= 1;
    take[part]! += 1;
    left -= 1;
  }
  return parts.map((p, i) => {
    // A part's sample is itself uniform, so a seeded shuffle's first rows are a uniform subset of it.
    const order = all(p);
    for (let j = order.length - 1; j > 0; j--) {
      const k = rng.int(j + 1);
      [order[j], order[k]] = [order[k]!, order[j]!];
    }
    return order.slice(0, Math.min(take[i]!, order.length));
  });
}
