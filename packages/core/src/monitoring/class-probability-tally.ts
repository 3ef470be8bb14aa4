import {
  addClassProbabilities,
  type ClassProbabilityCounts,
  mergeClassProbabilityCounts,
} from "../drift/class-probability-counts.js";
import { logRowStarts } from "../drift/log-rows.js";
import { parseDuration } from "../manifest/duration.js";
import type { Batch } from "../table/column.js";

/** What {@link createClassProbabilityTally} reads from each log row. */
export interface ClassProbabilityTallyOptions {
  /** `probabilities`: the per-class probability fields, in the model's class order. */
  fields: { timestamp: string; version?: string; probabilities: readonly string[] };
  version?: string;
  window: string;
  maxWindows?: number;
}

/** One window's served class probabilities, counted for the multiclass estimate. */
export interface ClassProbabilityWindowState {
  start: number;
  /** Rows with a probability for every class, each a number in [0, 1]. */
  rows: number;
  counts: ClassProbabilityCounts;
}

/** Streams log batches into per-window {@link ClassProbabilityCounts}. */
export interface ClassProbabilityTally {
  add(batch: Batch, starts?: Float64Array): void;
  state(): ClassProbabilityWindowState[];
}

/**
 * Counts, per UTC window of the rows drift reads ({@link logRowStarts}), a multiclass model's
 * logged class probabilities for the label-free estimate (`addClassProbabilities`). Rows missing
 * a probability, or with one that is not a number in [0, 1], are left out.
 *
 * @example
 * const tally = createClassProbabilityTally({ fields: { timestamp: "ts", probabilities: ["p_a", "p_b"] }, window: "1d" });
 * tally.add(batch);
 * tally.state()[0]; // { start: 1748736000000, rows: 512, counts: { "0:0:3001": 3, ... } }
 */
export function createClassProbabilityTally(options: ClassProbabilityTallyOptions): ClassProbabilityTally {
  const width = parseDuration(options.window);
  const maxWindows = options.maxWindows ?? 400;
  const windows = new Map<number, ClassProbabilityWindowState>();
  const names = options.fields.probabilities;
  const row = new Float64Array(names.length);
  return {
    add(batch, starts = logRowStarts(batch, options, width).starts) {
      const columns = names.map((name) => batch.columns.get(name));
      for (let i = 0; i < batch.length; i++) {
        const start = starts[i]!;
        if (Number.isNaN(start)) continue;
        let usable = true;
        columns.forEach((c, k) => {
          const ok = c?.kind === "number" && c.nulls[i] !== 1;
          row[k] = ok ? c.values[i]! : Number.NaN;
          usable &&= ok;
        });
        if (!usable) continue;
        let w = windows.get(start);
        if (!w && windows.size < maxWindows) {
          w = { start, rows: 0, counts: {} };
          windows.set(start, w);
        }
        if (w && addClassProbabilities(w.counts, row)) w.rows += 1;
      }
    },
    state() {
      return [...windows.values()].sort((a, b) => a.start - b.start);
    },
  };
}

/**
 * Two shards' counts of the same window, added.
 *
 * @example
 * mergeClassProbabilityWindows({ start: 0, rows: 1, counts: { "0:0:9": 1 } }, { start: 0, rows: 1, counts: { "0:0:9": 1 } });
 * // { start: 0, rows: 2, counts: { "0:0:9": 2 } }
 */
export function mergeClassProbabilityWindows(
  a: ClassProbabilityWindowState,
  b: ClassProbabilityWindowState,
): ClassProbabilityWindowState {
  return { start: a.start, rows: a.rows + b.rows, counts: mergeClassProbabilityCounts(a.counts, b.counts) };
}
