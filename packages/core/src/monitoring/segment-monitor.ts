import { type LogRowOptions, logNames, logRowStarts, outcomeAt } from "../drift/log-rows.js";
import { selectRows } from "../drift/select-rows.js";
import { parseDuration } from "../manifest/duration.js";
import type { DriftMethod } from "../profile/drift-thresholds.js";
import type { Profile } from "../profile/profile.js";
import type { PresortBlock } from "../profile/sketch-blocks.js";
import type { Batch, Column } from "../table/column.js";
import { rowsByCode } from "../table/rows-by-code.js";
import type { KpiLimits } from "./kpi-checks.js";
import { createKpiTally, type KpiTally, type KpiTallyOptions } from "./kpi-tally.js";
import type { SegmentMonitorState } from "./layer-states.js";
import type { OperationsSettings } from "./operational-health.js";
import {
  createOperationsTally,
  type OperationsTally,
  type OperationsTallyOptions,
} from "./operations-tally.js";
import type { PredictionSettings } from "./prediction-settings.js";
import {
  createPredictionTally,
  type PredictionTally,
  type PredictionTallyOptions,
} from "./prediction-tally.js";
import { finishSegmentStates, type SegmentHealth } from "./segment-health.js";
import {
  type CodedBatch,
  createCategoryCoder,
  createSegmentWindowProfile,
  type SegmentWindowProfile,
} from "./segment-window-profile.js";

/** What {@link createSegmentMonitor} splits by and computes per segment. */
export interface SegmentMonitorOptions extends LogRowOptions {
  window: string;
  /** Slice columns (`monitoring.slices`): feature names, read under `fields.features` when the logs nest them there. */
  slices: readonly string[];
  /** For the bin edges of the segments' profiles. */
  reference: Profile;
  method?: "auto" | DriftMethod;
  warn?: number | undefined;
  alert?: number | undefined;
  operations?: { tally: OperationsTallyOptions; settings: OperationsSettings } | undefined;
  prediction?:
    | { tally: PredictionTallyOptions; settings: Omit<PredictionSettings, "performance"> }
    | undefined;
  kpis?: { tally: KpiTallyOptions; limits: KpiLimits[] } | undefined;
  /** Segments with fewer rows are reported but never alert. */
  minRows: number;
  /** `"<slice>=<value>"` → owner (`monitoring.owners`). */
  owners?: Readonly<Record<string, string>> | undefined;
  /** Distinct values kept per slice (default 50); rows of further values count under `(other)`. */
  maxSegments?: number;
  /** Sorts the window profiles' full sketch blocks in another thread ({@link PresortBlock}). */
  presortBlock?: PresortBlock | undefined;
}
/** Streams log batches into per-segment statistics. */
export interface SegmentMonitor {
  /** `starts`: each row's window ({@link logRowStarts}), when the caller has them already. */
  add(batch: Batch, starts?: Float64Array): void;
  /** What each segment counted so far: what a sharded run's part carries. */
  state(): SegmentMonitorState;
  finish(): SegmentHealth;
}

interface SegmentState {
  slice: string;
  value: string;
  rows: number;
  windows: Map<number, SegmentWindowProfile>;
  accuracy: Map<number, { labelled: number; correct: number }>;
  operations: OperationsTally | null;
  prediction: PredictionTally | null;
  kpis: KpiTally | null;
}

const OTHER = "(other)";

/**
 * Computes every statistic per segment of `monitoring.slices`: drift of each window against the
 * segment's own first window (the reference profile is not split by segment, and segments differ
 * from the whole population by design; sketch-based, each score with its bound), operational
 * health, prediction health and KPIs with the same limits as the whole population, and for binary
 * classifiers with outcomes the realised accuracy per window with its gap to the slice's whole
 * population, so a feedback loop that slowly harms one group shows as a widening gap. A segment
 * with fewer than `minRows` rows is reported but never alerts.
 *
 * @example
 * const segments = createSegmentMonitor({ slices: ["region"], columns, fields, window: "1d", reference, minRows: 100 });
 * segments.add(batch);
 * segments.finish().segments[0]; // { slice: "region", value: "AE", level: "alert", reason: "region=AE: drift alert (age ...)", ... }
 */
export function createSegmentMonitor(options: SegmentMonitorOptions): SegmentMonitor {
  const width = parseDuration(options.window);
  const maxSegments = options.maxSegments ?? 50;
  const states = new Map<string, SegmentState>();
  const seen = new Set<string>();
  const perSlice = new Map<string, number>();
  const logged = (slice: string) => (options.fields.features ? `${options.fields.features}.${slice}` : slice);
  const names = logNames(options);
  const coder = createCategoryCoder();

  const stateOf = (slice: string, raw: string): SegmentState => {
    let value = raw;
    if (!states.has(`${slice}=${value}`) && (perSlice.get(slice) ?? 0) >= maxSegments) value = OTHER;
    const key = `${slice}=${value}`;
    let state = states.get(key);
    if (!state) {
      perSlice.set(slice, (perSlice.get(slice) ?? 0) + 1);
      state = {
        slice,
        value,
        rows: 0,
        windows: new Map(),
        accuracy: new Map(),
        operations: options.operations ? createOperationsTally(options.operations.tally) : null,
        prediction: options.prediction ? createPredictionTally(options.prediction.tally) : null,
        kpis: options.kpis ? createKpiTally(options.kpis.tally) : null,
      };
      states.set(key, state);
    }
    return state;
  };

  return {
    add(batch, starts = logRowStarts(batch, options, width).starts) {
      const present = options.slices.flatMap((slice) => {
        const column = batch.columns.get(logged(slice)) ?? batch.columns.get(slice);
        return column ? [{ slice, column }] : [];
      });
      if (present.length === 0) return;
      // Each slice walks the batch once to list every segment's rows, which its tallies count
      // and its window profiles read by index from the profiled columns (under the reference's
      // names, not copied). A batch whose kept rows are all in one window (logs in time order)
      // is not split by window: rows left out (NaN, e.g. another model version) are in no
      // segment's rows.
      const coded = coder.code(selectRows(batch, null, names));
      const firstStart = oneWindow(starts);
      const uniform = !Number.isNaN(firstStart);
      for (const { slice, column } of present) {
        seen.add(slice);
        for (const [state, rows] of segmentRows(slice, column, batch, starts)) {
          if (uniform) {
            addWindowRows(state, firstStart, batch, coded, rows);
            continue;
          }
          const byWindow = new Map<number, number[]>();
          for (const i of rows) {
            const own = byWindow.get(starts[i]!);
            if (own) own.push(i);
            else byWindow.set(starts[i]!, [i]);
          }
          for (const [start, own] of byWindow)
            addWindowRows(state, start, batch, coded, Uint32Array.from(own));
        }
      }
    },
    state,
    finish: () => finishSegmentStates(state(), options),
  };

  function state(): SegmentMonitorState {
    return {
      seen: options.slices.filter((slice) => seen.has(slice)),
      segments: [...states.values()].map((s) => ({
        slice: s.slice,
        value: s.value,
        rows: s.rows,
        windows: [...s.windows.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([start, b]) => ({ start, profile: b.finish() })),
        accuracy: [...s.accuracy.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([start, t]) => ({ start, ...t })),
        layers: {
          ...(s.operations ? { operations: s.operations.state() } : {}),
          ...(s.prediction ? { prediction: s.prediction.state() } : {}),
          ...(s.kpis ? { kpis: s.kpis.state() } : {}),
        },
      })),
    };
  }

  /**
   * Every segment of `slice` in the batch with its kept rows (ascending), from one walk with one
   * lookup per row by value; each segment's tallies count its rows. Values beyond `maxSegments`
   * share `(other)`: its tallies take each value's rows in turn, its window profiles all of them
   * in the batch's order.
   */
  function segmentRows(
    slice: string,
    column: Column,
    batch: Batch,
    starts: Float64Array,
  ): Map<SegmentState, Uint32Array> {
    // Each kept row's value numbered in order of first appearance, counted, then each value's
    // rows filled in ascending order (no growing lists).
    const numbers = new Map<string, number>();
    const states: SegmentState[] = [];
    const counts: number[] = [];
    const numberOf = new Int32Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      if (Number.isNaN(starts[i]!)) {
        numberOf[i] = -1;
        continue;
      }
      const value = textOf(column, i);
      let n = numbers.get(value);
      if (n === undefined) {
        n = states.length;
        numbers.set(value, n);
        states.push(stateOf(slice, value));
        counts.push(0);
      }
      numberOf[i] = n;
      counts[n]! += 1;
    }
    const lists = rowsByCode(numberOf, counts);
    const out = new Map<SegmentState, Uint32Array>();
    for (let n = 0; n < states.length; n++) {
      const state = states[n]!;
      const rows = lists[n]!;
      state.rows += rows.length;
      state.operations?.add(batch, starts, rows);
      state.prediction?.add(batch, starts, rows);
      state.kpis?.add(batch, starts, rows);
      const before = out.get(state);
      out.set(state, before ? mergeAscending(before, rows) : rows);
    }
    return out;
  }

  /**
   * One segment's rows of one window (ascending indices into the log batch) into its window
   * profile — of the batch's profiled columns under the reference's names (`logNames`), coded —
   * and, for binary classifiers, its realised accuracy.
   */
  function addWindowRows(
    state: SegmentState,
    start: number,
    batch: Batch,
    coded: CodedBatch,
    rows: Uint32Array,
  ): void {
    let profile = state.windows.get(start);
    if (!profile) {
      profile = createSegmentWindowProfile(options.reference, options.presortBlock);
      state.windows.set(start, profile);
    }
    profile.add(coded, rows);
    const binary = options.binary;
    if (!binary) return;
    let tally = state.accuracy.get(start);
    if (!tally) {
      tally = { labelled: 0, correct: 0 };
      state.accuracy.set(start, tally);
    }
    const { score: scoreField, outcome: outcomeField } = options.fields;
    const outcome = outcomeField === undefined ? undefined : batch.columns.get(outcomeField);
    const score = scoreField === undefined ? undefined : batch.columns.get(scoreField);
    if (!outcome) return;
    for (const i of rows) {
      const y = outcomeAt(outcome, i, binary.positive);
      const p = score?.kind === "number" && score.nulls[i] === 0 ? score.values[i]! : Number.NaN;
      if (!(y === 0 || y === 1) || !(p >= 0 && p <= 1)) continue;
      tally.labelled++;
      if ((p >= binary.threshold ? 1 : 0) === y) tally.correct++;
    }
  }
}

/** The window every kept row (not NaN) of `starts` is in; NaN when they are in several, or none is kept. */
function oneWindow(starts: Float64Array): number {
  let start = Number.NaN;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    if (Number.isNaN(s) || s === start) continue;
    if (!Number.isNaN(start)) return Number.NaN;
    start = s;
  }
  return start;
}

function textOf(column: Column, i: number): string {
  if (column.nulls[i] === 1) return "(missing)";
  if (column.kind === "category") return column.values[i]!;
  if (column.kind === "boolean") return column.values[i] === 1 ? "true" : "false";
  return String(column.values[i]);
}

/** Two ascending lists of distinct row indices as one. */
function mergeAscending(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++)
    out[k] = j === b.length || (i < a.length && a[i]! < b[j]!) ? a[i++]! : b[j++]!;
  return out;
}
