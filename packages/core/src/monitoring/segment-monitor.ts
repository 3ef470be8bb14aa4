import { compareProfiles, driftIndex, worstFirst } from "../drift/compare-profiles.js";
import { levelRank, worstLevel } from "../drift/drift-level.js";
import { type LogRowOptions, logRowStarts, readLogRows, type WindowRows } from "../drift/log-rows.js";
import { selectRows } from "../drift/select-rows.js";
import { parseDuration } from "../manifest/duration.js";
import { type ColumnDrift, compareColumn, type DriftLevel } from "../profile/compare-column.js";
import { createProfileBuilder, type ProfileBuilder } from "../profile/create-profile-builder.js";
import type { DriftMethod } from "../profile/drift-thresholds.js";
import type { Profile } from "../profile/profile.js";
import type { Check } from "../results/check.js";
import type { Batch, Column } from "../table/column.js";
import { finishKpis, type KpiHealth, type KpiLimits } from "./kpi-checks.js";
import { createKpiTally, type KpiTally, type KpiTallyOptions } from "./kpi-tally.js";
import type { SegmentCounts, SegmentMonitorState } from "./layer-states.js";
import { finishOperations, type OperationalHealth, type OperationsSettings } from "./operational-health.js";
import {
  createOperationsTally,
  type OperationsTally,
  type OperationsTallyOptions,
} from "./operations-tally.js";
import type { PredictionAlerts } from "./prediction-alerts.js";
import { finishPrediction } from "./prediction-checks.js";
import type { PredictionSettings } from "./prediction-settings.js";
import {
  createPredictionTally,
  type PredictionTally,
  type PredictionTallyOptions,
} from "./prediction-tally.js";
import { signalNumber } from "./signal-format.js";

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
}

/** One window's realised accuracy of a segment, and its gap to the slice's whole population. */
export interface SegmentGapWindow {
  start: string;
  labelled: number;
  accuracy: number | null;
  /** Segment accuracy minus the accuracy of every segment of the slice together in the window. */
  gap: number | null;
}

/** One segment (`region=AE`) with every layer's statistics. */
export interface SegmentResult {
  slice: string;
  value: string;
  rows: number;
  level: DriftLevel;
  owner: string | null;
  /** Columns in the segment's worst window against its first window, worst first (compared when at least two windows). */
  drift: ColumnDrift[];
  /** Largest score / alert limit of `drift`. */
  driftIndex: number | null;
  operations?: OperationalHealth;
  prediction?: PredictionAlerts;
  kpis?: KpiHealth;
  /** Binary classifiers with outcomes: realised accuracy per window and the gap to the slice. */
  gaps: SegmentGapWindow[];
  /** One line: what alerts in the segment, or why it cannot alert. */
  reason: string;
}

/** `drift.json`'s `segments`: every statistic per segment, worst segments first. */
export interface SegmentHealth {
  slices: string[];
  /** Slices the logs do not have. */
  missing: string[];
  segments: SegmentResult[];
  checks: Check[];
  level: DriftLevel;
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
  windows: Map<number, ProfileBuilder>;
  accuracy: Map<number, { labelled: number; correct: number }>;
  operations: OperationsTally | null;
  prediction: PredictionTally | null;
  kpis: KpiTally | null;
}

const OTHER = "(other)";

/**
 * Values per sorted block on their way into a segment window's quantile sketches
 * (`sketchBlock`): updating a sketch value by value was most of the segments' cost.
 */
const SKETCH_BLOCK = 16_384;

/** Every column of `batch` under its own name, for {@link selectRows}. */
function sameNames(batch: Batch): Map<string, string> {
  return new Map([...batch.columns.keys()].map((name) => [name, name]));
}

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
      // The batch is split by window once for every segment of every slice (each window's rows
      // copied out once, with their scores and outcomes); each slice then walks the batch once to
      // give every row its segment, and each segment takes its rows of each window from the copy.
      // A batch wholly in one window (logs in time order) is read in place, not copied.
      const firstStart = starts[0] ?? Number.NaN;
      let uniform = !Number.isNaN(firstStart);
      for (let i = 1; uniform && i < batch.length; i++) uniform = starts[i] === firstStart;
      const split = readLogRows(batch, options, width, {
        starts,
        skipped: new Map(),
        otherVersions: new Map(),
        uniform,
        firstStart,
      });
      for (const { slice, column } of present) {
        seen.add(slice);
        const rowSegment = segmentsOf(slice, column, batch, starts);
        for (const [start, part] of split.windows) {
          // The window's rows in the copy, per segment: the copy keeps the batch's row order.
          const rows = new Map<SegmentState, number[]>();
          let j = 0;
          for (let i = 0; i < batch.length; i++) {
            if (starts[i] !== start) continue;
            const state = rowSegment[i]!;
            const own = rows.get(state);
            if (own) own.push(j);
            else rows.set(state, [j]);
            j++;
          }
          for (const [state, own] of rows) addWindowRows(state, start, part, Uint32Array.from(own));
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
   * Each kept row's segment of `slice` (one lookup per row, by value), and every segment's rows
   * counted by the tallies: each tally reads the batch with only the segment's rows in a window.
   */
  function segmentsOf(slice: string, column: Column, batch: Batch, starts: Float64Array): SegmentState[] {
    const length = batch.length;
    const byValue = new Map<string, { state: SegmentState; starts: Float64Array; rows: number }>();
    const rowSegment = new Array<SegmentState>(length);
    for (let i = 0; i < length; i++) {
      if (Number.isNaN(starts[i]!)) continue;
      const value = textOf(column, i);
      let segment = byValue.get(value);
      if (!segment) {
        segment = {
          state: stateOf(slice, value),
          starts: new Float64Array(length).fill(Number.NaN),
          rows: 0,
        };
        byValue.set(value, segment);
      }
      segment.starts[i] = starts[i]!;
      segment.rows++;
      rowSegment[i] = segment.state;
    }
    // Values beyond maxSegments share `(other)`: its tallies take each value's rows in turn.
    for (const { state, starts: own, rows } of byValue.values()) {
      state.rows += rows;
      state.operations?.add(batch, own);
      state.prediction?.add(batch, own);
      state.kpis?.add(batch, own);
    }
    return rowSegment;
  }

  function addWindowRows(state: SegmentState, start: number, part: WindowRows, rows: Uint32Array): void {
    let builder = state.windows.get(start);
    if (!builder) {
      builder = createProfileBuilder({
        reference: options.reference,
        chunks: false,
        sketchBlock: SKETCH_BLOCK,
      });
      state.windows.set(start, builder);
    }
    builder.add(selectRows(part.batch, rows, sameNames(part.batch)));
    if (!options.binary) return;
    let tally = state.accuracy.get(start);
    if (!tally) {
      tally = { labelled: 0, correct: 0 };
      state.accuracy.set(start, tally);
    }
    for (const j of rows) {
      const outcome = part.outcomes[j]!;
      const score = part.scores[j]!;
      if (!(outcome === 0 || outcome === 1) || !(score >= 0 && score <= 1)) continue;
      tally.labelled++;
      if ((score >= options.binary.threshold ? 1 : 0) === outcome) tally.correct++;
    }
  }
}

/**
 * Judges every segment from its counts — one run's, or the merged shards' — as
 * {@link createSegmentMonitor} describes.
 *
 * @example
 * finishSegmentStates(mergeLayerStates(parts).segments!, options).segments[0].level; // "alert"
 */
export function finishSegmentStates(
  state: SegmentMonitorState,
  options: SegmentMonitorOptions,
): SegmentHealth {
  const states = state.segments;
  const seen = new Set(state.seen);
  // The slice's whole population per window, for the accuracy gaps.
  const totals = new Map<string, { labelled: number; correct: number }>();
  for (const s of states) {
    for (const { start, ...t } of s.accuracy) {
      const key = `${s.slice}@${start}`;
      const total = totals.get(key) ?? { labelled: 0, correct: 0 };
      total.labelled += t.labelled;
      total.correct += t.correct;
      totals.set(key, total);
    }
  }
  // Bonferroni over every comparison a segment makes (later windows × columns), so that among
  // dozens of small segments noise does not alert: a segment's drift must also be significant.
  const comparisons = states.reduce(
    (n, s) => n + Math.max(0, s.windows.length - 1) * options.columns.length,
    0,
  );
  const alpha = 0.05 / Math.max(1, comparisons);
  const segments = states.map((s) => finishSegment(s, options, totals, alpha));
  segments.sort(
    (a, b) =>
      levelRank(b.level) - levelRank(a.level) ||
      (b.driftIndex ?? -1) - (a.driftIndex ?? -1) ||
      b.rows - a.rows,
  );
  const checks: Check[] = segments.map((s) => ({
    id: "segment",
    column: `${s.slice}=${s.value}`,
    status: s.level === "alert" ? "fail" : s.level === "warn" ? "warn" : s.level === "ok" ? "pass" : "skip",
    value: s.rows,
    limit: options.minRows,
    reason: s.reason,
  }));
  return {
    slices: [...options.slices],
    missing: options.slices.filter((s) => !seen.has(s)),
    segments,
    checks,
    level: segments.length === 0 ? "no data" : worstLevel(segments.map((s) => s.level)),
  };
}

function finishSegment(
  s: SegmentCounts,
  options: SegmentMonitorOptions,
  totals: Map<string, { labelled: number; correct: number }>,
  alpha: number,
): SegmentResult {
  const name = `${s.slice}=${s.value}`;
  const ordered = s.windows;
  const base = ordered[0];
  let drift: ColumnDrift[] = [];
  let index: number | null = null;
  for (const w of ordered.slice(1)) {
    const compared = compareProfiles(base!.profile, w.profile, {
      columns: options.columns,
      method: options.method ?? "auto",
      warn: options.warn,
      alert: options.alert,
    }).map((c) => significantOnly(c, base!.profile, w.profile, alpha));
    const worst = Math.max(-1, ...compared.map((c) => driftIndex(c) ?? -1));
    if (index === null || worst > index) {
      index = worst < 0 ? null : worst;
      drift = compared.sort(worstFirst);
    }
  }
  const operations =
    s.layers.operations && options.operations
      ? finishOperations(s.layers.operations, options.operations.settings)
      : undefined;
  const prediction =
    s.layers.prediction && options.prediction
      ? finishPrediction(s.layers.prediction, {
          ...options.prediction.settings,
          performance: null,
          segment: true,
        })
      : undefined;
  const kpis =
    s.layers.kpis && options.kpis
      ? finishKpis(s.layers.kpis, { window: options.window, kpis: options.kpis.limits })
      : undefined;
  const gaps: SegmentGapWindow[] = s.accuracy.map(({ start, ...t }) => {
    const total = totals.get(`${s.slice}@${start}`)!;
    const accuracy = t.labelled > 0 ? t.correct / t.labelled : null;
    const overall = total.labelled > 0 ? total.correct / total.labelled : null;
    return {
      start: new Date(start).toISOString(),
      labelled: t.labelled,
      accuracy,
      gap: accuracy === null || overall === null ? null : accuracy - overall,
    };
  });
  const driftLevel = worstLevel(drift.map((c) => c.level));
  const layers = [operations, prediction, kpis].filter((l) => l !== undefined);
  const failing = [
    ...drift
      .filter((c) => c.level === "alert")
      .map((c) => `drift ${c.column} (${c.reason}; against the segment's first window)`),
    ...layers.flatMap((l) => l.checks.filter((c) => c.status === "fail").map((c) => c.reason)),
  ];
  const small = s.rows < options.minRows;
  const level: DriftLevel = small ? "no data" : worstLevel([driftLevel, ...layers.map((l) => l.level)]);
  const reason = small
    ? `${name}: ${s.rows} rows, fewer than ${options.minRows}: reported, never alerts`
    : failing.length > 0
      ? `${name}: ${failing.join("; ")}`
      : `${name}: ${level}${index === null ? "" : `, drift index ${signalNumber(index)}${index >= 1 && driftLevel === "ok" ? " (not significant)" : ""}`} over ${s.rows} rows`;
  return {
    slice: s.slice,
    value: s.value,
    rows: s.rows,
    level,
    owner: options.owners?.[name] ?? null,
    drift,
    driftIndex: index,
    ...(operations ? { operations } : {}),
    ...(prediction ? { prediction } : {}),
    ...(kpis ? { kpis } : {}),
    gaps,
    reason,
  };
}

/**
 * A segment column's drift, kept at `warn`/`alert` only when a test of the two windows (KS for
 * numbers, chi-square for categories) rejects at `alpha`; otherwise `ok`, saying why.
 */
function significantOnly(drift: ColumnDrift, base: Profile, current: Profile, alpha: number): ColumnDrift {
  if (drift.level !== "alert" && drift.level !== "warn") return drift;
  const ref = base.columns[drift.column];
  const cur = current.columns[drift.column];
  if (!ref || !cur) return drift;
  const test = compareColumn(ref, cur, {
    column: drift.column,
    method: drift.kind === "number" ? "ks" : "chi-square",
  });
  if (test.pValue !== null && test.pValue < alpha) return drift;
  const p = test.pValue === null ? "no test" : `p = ${test.pValue.toPrecision(2)} ≥ ${alpha.toPrecision(2)}`;
  return {
    ...drift,
    level: "ok",
    reason: `${drift.reason}, but not significant in this segment (${test.method}: ${p}, Bonferroni over the segments' comparisons)`,
  };
}

function textOf(column: Column, i: number): string {
  if (column.nulls[i] === 1) return "(missing)";
  if (column.kind === "category") return column.values[i]!;
  if (column.kind === "boolean") return column.values[i] === 1 ? "true" : "false";
  return String(column.values[i]);
}
