import { parseDuration } from "../manifest/duration.js";
import { prepareReferenceColumn } from "../profile/compare-numeric.js";
import { createProfileBuilder, type ProfileBuilder } from "../profile/create-profile-builder.js";
import type { DriftMethod } from "../profile/drift-thresholds.js";
import type { Profile } from "../profile/profile.js";
import type { Batch } from "../table/column.js";
import type { DriftResult, ReferenceSource } from "./drift-result.js";
import { DRIFT_STATE_SCHEMA, type DriftState, stripChunks } from "./drift-state.js";
import { finishDrift } from "./finish-drift.js";
import { logNames, logRowStarts, outcomeAt, windowRows } from "./log-rows.js";
import { createLabelledSample, LABELLED_CAPACITY, type LabelledSample } from "./realised-metrics.js";
import { createScoreTally, type ScoreTally } from "./score-tally.js";
import { selectRows } from "./select-rows.js";

/** What {@link createDriftMonitor} compares, and how. */
export interface DriftMonitorOptions {
  model: { name: string; version: string };
  reference: Profile;
  referenceSource: ReferenceSource;
  /** Reference columns to compare (feature names without the `features` prefix). */
  columns: readonly string[];
  /** The logged fields; `features` is the nested object holding the inputs (`inputs.age`). */
  fields: { timestamp: string; features?: string; score?: string; outcome?: string; version?: string };
  /** With `fields.version`: rows logged under any other version are skipped and counted. */
  version?: string;
  /** Binary classifiers: the positive class (as logged) and the decision threshold. */
  binary?: { positive: string | number; threshold: number };
  /** Window width, e.g. `1d`. */
  window: string;
  method?: "auto" | DriftMethod;
  warn?: number | undefined;
  alert?: number | undefined;
  /** Windows kept at most (default 400); rows of later new windows are skipped and counted. */
  maxWindows?: number;
  /** Labelled rows kept for the realised metrics (default 100,000; a seeded sample beyond). */
  labelledCapacity?: number;
  /**
   * Values kept per numeric column and window for exact statistics (default
   * {@link EXACT_VALUES_LIMIT}), when the reference kept its values too; a window with more
   * falls back to its sketch, and its report says so with the error bound.
   */
  exactValues?: number;
  /**
   * Sorts arrays of numbers in place, ascending in `sortFloat64`'s order (e.g. some of them in
   * another thread): given, every window's kept values go through it before the windows'
   * profiles are finished, which then find them sorted. The result is the same without it.
   */
  sortValues?: (arrays: Float64Array[]) => void;
  /**
   * Called after every batch with the kept values of the windows it left behind (none of its rows,
   * a start before one of its rows'), each window once; often none. A caller may sort them in
   * place meanwhile (in `sortFloat64`'s order, e.g. another thread while the log is still read),
   * as long as that is done before `sortValues` sees them. Rows that come later for such a window
   * are added as usual and its values sorted again. The result is the same without it.
   */
  presortValues?: (arrays: Float64Array[]) => void;
}

/**
 * Values a drift check keeps per numeric column and window by default (8 bytes each): up to this
 * many, its statistics are exact; beyond, the column's quantile sketch stands in, with its bound.
 */
export const EXACT_VALUES_LIMIT = 5_000_000;

/**
 * Streams prediction-log batches into a {@link DriftResult}. Memory: windows × columns × sketch,
 * plus 8 bytes per numeric value logged when the reference kept its values (exact statistics).
 */
export interface DriftMonitor {
  add(batch: Batch): void;
  /** The result: `finishDrift(options, state())`, so a single run and merged shards finish alike. */
  finish(): DriftResult;
  /** What the rows so far amount to, mergeable with other shards' (`mergeDriftStates`). */
  state(): DriftState;
}

interface WindowState {
  start: number;
  builder: ProfileBuilder;
  tally: ScoreTally | null;
  /** Its values went to `presortValues`. */
  presorted: boolean;
}

/**
 * Start a drift check of logged predictions against a reference profile. Each batch's rows are
 * filtered (other model versions, rows without a usable timestamp), assigned to UTC-aligned
 * windows and profiled on the reference's bin edges; `finish` compares every window and the
 * whole period column by column with `compareColumn` (effect sizes decide), and adds prediction
 * health, confidence-based performance estimates and realised metrics. Pure: no I/O, no clock.
 *
 * @example
 * const monitor = createDriftMonitor({ model, reference, referenceSource, columns: ["age", "plan"],
 *   fields: { timestamp: "ts", features: "inputs", score: "score", version: "model_version" },
 *   version: "1.2.0", binary: { positive: 1, threshold: 0.5 }, window: "1d" });
 * for await (const batch of readTable("logs/*.jsonl")) monitor.add(batch);
 * monitor.finish().level; // "ok"
 */
export function createDriftMonitor(options: DriftMonitorOptions): DriftMonitor {
  const width = parseDuration(options.window);
  const maxWindows = options.maxWindows ?? 400;
  // Keeping the logs' values only pays when the reference has values to compare them with.
  const exactValues = keepsValues(options.reference) ? (options.exactValues ?? EXACT_VALUES_LIMIT) : 0;
  const windows = new Map<number, WindowState>();
  const { fields } = options;
  const names = logNames(options);
  const skipped: Record<string, number> = {};
  const otherVersions: Record<string, number> = {};
  const sample: LabelledSample | null = options.binary
    ? createLabelledSample(options.labelledCapacity ?? LABELLED_CAPACITY, options.model.name)
    : null;
  let read = 0;
  let used = 0;
  let prepared = false;
  const skip = (reason: string, n = 1): void => {
    skipped[reason] = (skipped[reason] ?? 0) + n;
  };
  const windowOf = (start: number): WindowState | undefined => {
    let state = windows.get(start);
    if (!state && windows.size < maxWindows) {
      state = {
        start,
        builder: createProfileBuilder({
          reference: options.reference,
          exactValues,
          chunks: false,
          deferSketch: true,
        }),
        tally: options.binary ? createScoreTally(options.binary) : null,
        presorted: false,
      };
      windows.set(start, state);
    }
    return state;
  };

  return {
    add(batch) {
      read += batch.length;
      const starts = logRowStarts(batch, options, width);
      for (const [version, n] of starts.otherVersions)
        otherVersions[version] = (otherVersions[version] ?? 0) + n;
      for (const [reason, n] of starts.skipped) skip(reason, n);
      // The profiled columns under the reference's names, not copied: each window's builder
      // takes its rows of them.
      const named = selectRows(batch, null, names);
      const score = fields.score === undefined ? undefined : batch.columns.get(fields.score);
      const outcome = fields.outcome === undefined ? undefined : batch.columns.get(fields.outcome);
      const touched = new Set<number>();
      for (const [start, rows] of windowRows(starts)) {
        touched.add(start);
        const n = rows ? rows.length : batch.length;
        const state = windowOf(start);
        if (!state) {
          skip("beyond the window limit", n);
          continue;
        }
        if (rows) state.builder.add(named, rows);
        else state.builder.add(named);
        used += n;
        for (let j = 0; j < n; j++) {
          const i = rows ? rows[j]! : j;
          const s = score?.kind === "number" && score.nulls[i] === 0 ? score.values[i]! : Number.NaN;
          const o = outcome && options.binary ? outcomeAt(outcome, i, options.binary.positive) : Number.NaN;
          state.tally?.add(s, o);
          if ((o === 0 || o === 1) && s >= 0 && s <= 1) sample?.add(s, o);
        }
      }
      if (options.presortValues) options.presortValues(leftBehind(touched));
      // The reference's share of the comparisons, while the reader fetches the next batch.
      if (!prepared) prepareReference();
    },
    finish() {
      return finishDrift(options, state());
    },
    state,
  };

  /** What comparing the reference's numeric columns (the score's too) keeps for every window. */
  function prepareReference(): void {
    prepared = true;
    const names = [...options.columns, ...(fields.score === undefined ? [] : [fields.score])];
    for (const name of names) {
      const ref = options.reference.columns[name];
      if (ref?.kind === "number") prepareReferenceColumn(ref, { method: options.method ?? "auto" });
    }
  }

  /** The values of windows not yet presorted that `touched` (a batch's window starts) passed by. */
  function leftBehind(touched: Set<number>): Float64Array[] {
    const latest = Math.max(...touched);
    const arrays: Float64Array[] = [];
    for (const w of windows.values()) {
      if (w.presorted || w.start >= latest || touched.has(w.start)) continue;
      w.presorted = true;
      arrays.push(...w.builder.values());
    }
    return arrays;
  }

  function state(): DriftState {
    const ordered = [...windows.values()].sort((a, b) => a.start - b.start);
    options.sortValues?.(ordered.flatMap((w) => w.builder.values()));
    const labelled = sample?.rows();
    return {
      schema: DRIFT_STATE_SCHEMA,
      rows: { read, used, skipped: { ...skipped }, otherVersions: { ...otherVersions } },
      windows: ordered.map((w) => ({
        start: w.start,
        profile: stripChunks(w.builder.finish()),
        tally: w.tally?.state() ?? null,
      })),
      labelled:
        sample && labelled
          ? { seen: sample.seen, scores: [...labelled.scores], labels: [...labelled.labels] }
          : null,
    };
  }
}

function keepsValues(reference: Profile): boolean {
  return Object.values(reference.columns).some((c) => c.kind === "number" && c.values !== undefined);
}
