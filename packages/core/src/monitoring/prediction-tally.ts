import { logRowStarts } from "../drift/log-rows.js";
import { parseDuration } from "../manifest/duration.js";
import type { Batch, Column } from "../table/column.js";

/** What {@link createPredictionTally} reads from each log row. */
export interface PredictionTallyOptions {
  fields: { timestamp: string; version?: string; score: string };
  version?: string;
  window: string;
  /** Binary classifiers: the threshold a score is predicted positive at, and the low-confidence cut. */
  binary?: { threshold: number; lowConfidenceBelow: number };
  /**
   * Multiclass and regression: the logged outcome field, whose arrived values are kept beside the
   * logged prediction for the realised metrics (every labelled row of a window).
   */
  labelled?: { outcome: string; task: "multiclass" | "regression" };
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
  /** Multiclass and regression with an outcome field: the labelled rows' prediction and outcome. */
  labelled?: { predicted: (string | number)[]; actual: (string | number)[] };
}

/** Streams log batches into per-window prediction counts. */
export interface PredictionTally {
  add(batch: Batch, starts?: Float64Array): void;
  state(): PredictionWindowState[];
}

/**
 * Counts, per UTC window of the rows drift reads ({@link logRowStarts}), the served predictions,
 * the low-confidence ones (binary) and the predicted-class mix: for a binary score, `positive` at
 * or above the threshold and `negative` below; for a logged class (multiclass), the class itself.
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
  return {
    add(batch, starts = logRowStarts(batch, options, width).starts) {
      const score = batch.columns.get(options.fields.score);
      if (!score) return;
      const labelled = options.labelled;
      const outcome = labelled ? batch.columns.get(labelled.outcome) : undefined;
      const windowOf = (start: number): PredictionWindowState | undefined => {
        let w = windows.get(start);
        if (!w && windows.size < maxWindows) {
          w = { start, scored: 0, lowConfidence: 0, classes: {} };
          if (labelled) w.labelled = { predicted: [], actual: [] };
          windows.set(start, w);
        }
        return w;
      };
      for (let i = 0; i < batch.length; i++) {
        const start = starts[i]!;
        if (Number.isNaN(start) || score.nulls[i] === 1) continue;
        if (labelled && outcome && outcome.nulls[i] !== 1) {
          const predicted = loggedValue(score, i, labelled.task);
          const actual = loggedValue(outcome, i, labelled.task);
          const kept = predicted !== null && actual !== null ? windowOf(start)?.labelled : undefined;
          if (kept) {
            kept.predicted.push(predicted!);
            kept.actual.push(actual!);
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
        else if (score.kind === "number" && options.binary) {
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

/** A logged class (as text) or, for regression, a finite number; null when unusable. */
function loggedValue(column: Column, i: number, task: "multiclass" | "regression"): string | number | null {
  if (task === "regression") {
    const v = column.kind === "number" ? column.values[i]! : Number.NaN;
    return Number.isFinite(v) ? v : null;
  }
  if (column.kind === "category") return column.values[i]!;
  if (column.kind === "number" || column.kind === "boolean") return String(column.values[i]);
  return null;
}
