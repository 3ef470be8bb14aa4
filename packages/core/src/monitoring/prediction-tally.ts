import { logRowStarts, outcomeAt } from "../drift/log-rows.js";
import { LABELLED_CAPACITY, mergedSampleRows, reservoirSlot } from "../drift/realised-metrics.js";
import { parseDuration } from "../manifest/duration.js";
import { createRng, type Rng } from "../random/rng.js";
import type { Batch, Column } from "../table/column.js";

/** What {@link createPredictionTally} reads from each log row. */
export interface PredictionTallyOptions {
  fields: { timestamp: string; version?: string; score: string };
  version?: string;
  window: string;
  /**
   * The model's task (`task`). A multiclass model's logged class read as a number (`0`, `1`, `2`:
   * the logs, or a reference without the column, make it numeric) is counted as that class's text,
   * as evaluate matches labels to `artefact.classes`; without the task a number is only read as a
   * binary score (with `binary`) or, for regression, a predicted value.
   */
  task?: "binary" | "multiclass" | "regression";
  /** Binary classifiers: the threshold a score is predicted positive at, and the low-confidence cut. */
  binary?: { threshold: number; lowConfidenceBelow: number };
  /**
   * The logged outcome field, whose arrived values are kept beside the logged prediction for the
   * per-window realised metrics (a window's labelled rows, a seeded uniform sample of `capacity`
   * of them beyond that: default {@link LABELLED_CAPACITY}). Binary: the score in [0, 1] and the
   * outcome as 1 (`positive`) or 0.
   */
  labelled?: {
    outcome: string;
    task: "binary" | "multiclass" | "regression";
    positive?: string | number;
    capacity?: number;
  };
  maxWindows?: number;
}

/** One window's served predictions. */
export interface PredictionWindowState {
  start: number;
  /** Rows with a usable prediction. */
  scored: number;
  /** Binary: scores with `max(p, 1 − p)` below the cut. */
  lowConfidence: number;
  /** Predicted class → rows (binary: `positive` / `negative` at the threshold). */
  classes: Record<string, number>;
  /**
   * With an outcome field: `seen` labelled rows, and the prediction and
   * outcome of all of them or, beyond the tally's capacity, of a uniform sample (`reservoirSlot`;
   * shards merge with `mergedSampleRows`).
   */
  labelled?: { seen: number; predicted: (string | number)[]; actual: (string | number)[] };
}

/** Streams log batches into per-window prediction counts. */
export interface PredictionTally {
  /**
   * `starts`: each row's window ({@link logRowStarts}), when the caller has them already; `rows`:
   * only these rows, ascending (one segment's), instead of every row of the batch.
   */
  add(batch: Batch, starts?: Float64Array, rows?: Uint32Array): void;
  state(): PredictionWindowState[];
}

/**
 * Counts, per UTC window of the rows drift reads ({@link logRowStarts}), the served predictions,
 * the low-confidence ones (binary) and the predicted-class mix: for a binary score, `positive` at
 * or above the threshold and `negative` below; for a logged class (multiclass), the class itself
 * (a number by its text, `2` → class `2`, as evaluate matches labels to `artefact.classes`).
 * Scores outside [0, 1] and missing predictions are left out. A regression model with an outcome
 * field counts its finite predicted values as served, with no class.
 *
 * @example
 * const tally = createPredictionTally({ fields: { timestamp: "ts", score: "score" }, window: "1d", binary: { threshold: 0.5, lowConfidenceBelow: 0.6 } });
 * tally.add(batch);
 * tally.state()[0]; // { start: 1748736000000, scored: 512, lowConfidence: 61, classes: { negative: 402, positive: 110 } }
 */
export function createPredictionTally(options: PredictionTallyOptions): PredictionTally {
  const width = parseDuration(options.window);
  const maxWindows = options.maxWindows ?? 400;
  const windows = new Map<number, PredictionWindowState>();
  const capacity = options.labelled?.capacity ?? LABELLED_CAPACITY;
  // One reservoir per window, seeded by its start: the same rows in the same order keep the same sample.
  const reservoirs = new Map<number, Rng>();
  return {
    add(batch, starts = logRowStarts(batch, options, width).starts, rows) {
      const score = batch.columns.get(options.fields.score);
      if (!score) return;
      const labelled = options.labelled;
      const outcome = labelled ? batch.columns.get(labelled.outcome) : undefined;
      // Rows come in runs of one window (logs in time order): the last window found is kept.
      let last: PredictionWindowState | undefined;
      const windowOf = (start: number): PredictionWindowState | undefined => {
        if (last?.start === start) return last;
        let w = windows.get(start);
        if (!w && windows.size < maxWindows) {
          w = { start, scored: 0, lowConfidence: 0, classes: {} };
          if (labelled) w.labelled = { seen: 0, predicted: [], actual: [] };
          windows.set(start, w);
        }
        if (w) last = w;
        return w;
      };
      let rngStart = Number.NaN;
      let lastRng: Rng | undefined;
      const count = rows ? rows.length : batch.length;
      for (let k = 0; k < count; k++) {
        const i = rows ? rows[k]! : k;
        const start = starts[i]!;
        if (Number.isNaN(start) || score.nulls[i] === 1) continue;
        if (labelled && outcome && outcome.nulls[i] !== 1) {
          const predicted = loggedValue(score, i, labelled.task);
          const actual =
            labelled.task === "binary"
              ? binaryOutcome(outcome, i, labelled.positive ?? 1)
              : loggedValue(outcome, i, labelled.task);
          const kept = predicted !== null && actual !== null ? windowOf(start)?.labelled : undefined;
          if (kept) {
            kept.seen++;
            let rng = start === rngStart ? lastRng : reservoirs.get(start);
            if (!rng) {
              rng = createRng(`labelled/${start}`);
              reservoirs.set(start, rng);
            }
            rngStart = start;
            lastRng = rng;
            const at = reservoirSlot(kept.seen, capacity, rng);
            if (at >= 0) {
              kept.predicted[at] = predicted!;
              kept.actual[at] = actual!;
            }
          }
        }
        let predicted: string;
        let low = false;
        if (labelled?.task === "regression") {
          // A predicted value has no class: counted as served, not in the class mix.
          const w = loggedValue(score, i, "regression") === null ? undefined : windowOf(start);
          if (w) w.scored++;
          continue;
        }
        if (score.kind === "category") predicted = score.values[i]!;
        else if (options.task === "multiclass") {
          const logged = loggedValue(score, i, "multiclass");
          if (logged === null) continue;
          predicted = String(logged);
        } else if (score.kind === "number" && options.binary) {
          const p = score.values[i]!;
          if (!(p >= 0 && p <= 1)) continue;
          predicted = p >= options.binary.threshold ? "positive" : "negative";
          low = Math.max(p, 1 - p) < options.binary.lowConfidenceBelow;
        } else continue;
        const w = windowOf(start);
        if (!w) continue;
        w.scored++;
        if (low) w.lowConfidence++;
        w.classes[predicted] = (w.classes[predicted] ?? 0) + 1;
      }
    },
    state() {
      return [...windows.values()].sort((a, b) => a.start - b.start);
    },
  };
}

/**
 * A logged class (as text: a number by its text, as evaluate matches labels to `artefact.classes`)
 * or, for regression, a finite number (binary: a score in [0, 1]); null when unusable.
 */
function loggedValue(
  column: Column,
  i: number,
  task: "binary" | "multiclass" | "regression",
): string | number | null {
  if (task === "binary") {
    const p = column.kind === "number" ? column.values[i]! : Number.NaN;
    return p >= 0 && p <= 1 ? p : null;
  }
  if (task === "regression") {
    const v = column.kind === "number" ? column.values[i]! : Number.NaN;
    return Number.isFinite(v) ? v : null;
  }
  if (column.kind === "category") return column.values[i]!;
  if (column.kind === "number") return Number.isFinite(column.values[i]!) ? String(column.values[i]) : null;
  if (column.kind === "boolean") return String(column.values[i]);
  return null;
}

/** A binary outcome as 1 or 0, or null when it has not arrived. */
function binaryOutcome(column: Column, i: number, positive: string | number): number | null {
  const y = outcomeAt(column, i, positive);
  return Number.isNaN(y) ? null : y;
}

/**
 * The prediction windows of disjoint sets of rows (shards) combined by start, in time order:
 * counts add exactly; each window's labelled rows are every shard's while together they saw no
 * more than `capacity` (as a single run keeps them), else one uniform sample of `capacity` of them
 * (`mergedSampleRows`, seeded by the window's start).
 *
 * @example
 * mergePredictionWindows([{ start: 0, scored: 3, lowConfidence: 1, classes: { positive: 3 } },
 *   { start: 0, scored: 2, lowConfidence: 0, classes: { negative: 2 } }]);
 * // [{ start: 0, scored: 5, lowConfidence: 1, classes: { positive: 3, negative: 2 } }]
 */
export function mergePredictionWindows(
  windows: readonly PredictionWindowState[],
  capacity = LABELLED_CAPACITY,
): PredictionWindowState[] {
  const byStart = new Map<number, PredictionWindowState[]>();
  for (const w of windows) byStart.set(w.start, [...(byStart.get(w.start) ?? []), w]);
  return [...byStart.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, parts]) => {
      const classes: Record<string, number> = {};
      for (const p of parts)
        for (const [c, n] of Object.entries(p.classes)) classes[c] = (classes[c] ?? 0) + n;
      const merged: PredictionWindowState = {
        start,
        scored: parts.reduce((sum, p) => sum + p.scored, 0),
        lowConfidence: parts.reduce((sum, p) => sum + p.lowConfidence, 0),
        classes,
      };
      const labelled = parts.flatMap((p) => (p.labelled ? [p.labelled] : []));
      if (labelled.length > 0) {
        const kept = mergedSampleRows(
          labelled.map((l) => ({ seen: l.seen, kept: l.actual.length })),
          capacity,
          String(start),
        );
        merged.labelled = {
          seen: labelled.reduce((sum, l) => sum + l.seen, 0),
          predicted: labelled.flatMap((l, i) => kept[i]!.map((j) => l.predicted[j]!)),
          actual: labelled.flatMap((l, i) => kept[i]!.map((j) => l.actual[j]!)),
        };
      }
      return merged;
    });
}
