import type { Batch, Column } from "../table/column.js";
import { rowsByCode } from "../table/rows-by-code.js";
import { selectRows } from "./select-rows.js";
import { windowStart } from "./window-start.js";

/** One window's share of a log batch. */
export interface WindowRows {
  /** The window's rows, feature columns renamed to the reference's names (and the score column). */
  batch: Batch;
  /** Scores (`NaN` when missing) and outcomes (1 positive, 0 negative, `NaN` not arrived yet). */
  scores: Float64Array;
  outcomes: Float64Array;
}

/** A log batch split by window, with the rows left out counted by reason. */
export interface LogRows {
  windows: Map<number, WindowRows>;
  skipped: Map<string, number>;
  otherVersions: Map<string, number>;
}

/** The parts of the monitor's options that decide which rows count and where they go. */
export interface LogRowOptions {
  columns: readonly string[];
  fields: { timestamp: string; features?: string; score?: string; outcome?: string; version?: string };
  version?: string;
  binary?: { positive: string | number; threshold: number };
}

/**
 * Splits a batch of logged predictions into windows of `widthMs`. Rows logged under another model
 * version than `options.version` (when `fields.version` is set) are skipped and counted by
 * version; rows without a timestamp are skipped as `no timestamp`, and rows whose timestamp text
 * the reader could not parse as `timestamp does not parse`. Timestamps arrive
 * as UTC milliseconds (the readers normalise ISO formats and offsets); a numeric column is read
 * as epoch milliseconds. `rowStarts` may be given (a subset of rows, e.g. one segment's, with the
 * others' starts `NaN`).
 *
 * @example
 * readLogRows(batch, { columns: ["age"], fields: { timestamp: "ts", features: "inputs" } }, 86_400_000);
 * // { windows: Map { 1748736000000 => { batch, scores, outcomes } }, skipped: Map {}, otherVersions: Map {} }
 */
export function readLogRows(
  batch: Batch,
  options: LogRowOptions,
  widthMs: number,
  rowStarts: RowStarts = logRowStarts(batch, options, widthMs),
): LogRows {
  const { fields } = options;
  const { skipped, otherVersions } = rowStarts;

  const names = logNames(options);
  const windows = new Map<number, WindowRows>();
  const score = fields.score === undefined ? undefined : batch.columns.get(fields.score);
  const outcome = fields.outcome === undefined ? undefined : batch.columns.get(fields.outcome);
  const add = (start: number, rows: Uint32Array | null): void => {
    const n = rows ? rows.length : batch.length;
    const scores = new Float64Array(n);
    const outcomes = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const i = rows ? rows[j]! : j;
      scores[j] = score?.kind === "number" && score.nulls[i] === 0 ? score.values[i]! : Number.NaN;
      outcomes[j] = outcome && options.binary ? outcomeAt(outcome, i, options.binary.positive) : Number.NaN;
    }
    windows.set(start, { batch: selectRows(batch, rows, names), scores, outcomes });
  };
  for (const [start, rows] of windowRows(rowStarts)) add(start, rows);
  return { windows, skipped, otherVersions };
}

/**
 * The logged columns drift profiles, by logged name, with the name the reference gives them: the
 * features without the `features` prefix, and the score column.
 *
 * @example
 * logNames({ columns: ["age"], fields: { timestamp: "ts", features: "inputs", score: "score" } });
 * // Map { "inputs.age" => "age", "score" => "score" }
 */
export function logNames(options: Pick<LogRowOptions, "columns" | "fields">): Map<string, string> {
  const { fields } = options;
  const names = new Map<string, string>();
  for (const column of options.columns)
    names.set(fields.features ? `${fields.features}.${column}` : column, column);
  if (fields.score !== undefined) names.set(fields.score, fields.score);
  return names;
}

/**
 * The rows of each window of a batch ({@link logRowStarts}), as ascending indices, windows in the
 * order their first row comes; `null` for every row of the batch when they all share one window.
 *
 * @example
 * windowRows(logRowStarts(batch, options, 86_400_000)); // Map { 1748736000000 => Uint32Array [0, 2], 1748822400000 => Uint32Array [3] }
 */
export function windowRows(rowStarts: RowStarts): Map<number, Uint32Array | null> {
  const { starts, uniform, firstStart } = rowStarts;
  const out = new Map<number, Uint32Array | null>();
  if (uniform) {
    if (!Number.isNaN(firstStart)) out.set(firstStart, null);
    return out;
  }
  // Each row's window number (-1: none) and each window's rows counted, then filled. Rows of a
  // window mostly follow each other: the window is looked up only when it changes.
  const keys: number[] = [];
  const counts: number[] = [];
  const index = new Map<number, number>();
  const which = new Int32Array(starts.length);
  let w = -1;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    if (Number.isNaN(start)) {
      which[i] = -1;
      continue;
    }
    if (w === -1 || start !== keys[w]) {
      w = index.get(start) ?? -1;
      if (w === -1) {
        w = keys.push(start) - 1;
        counts.push(0);
        index.set(start, w);
      }
    }
    which[i] = w;
    counts[w]! += 1;
  }
  const rows = rowsByCode(which, counts);
  keys.forEach((start, k) => {
    out.set(start, rows[k]!);
  });
  return out;
}

function textAt(column: Column, i: number): string | null {
  if (column.nulls[i] === 1) return null;
  if (column.kind === "category") return column.values[i]!;
  if (column.kind === "boolean") return column.values[i] === 1 ? "true" : "false";
  return String(column.values[i]);
}

/**
 * A binary classifier's logged outcome at row `i`: 1 when it is the positive class (as logged:
 * a number, a flag or text), 0 when it is another value, `NaN` when it has not arrived (null).
 *
 * @example
 * outcomeAt(churned, 3, 1); // 1
 */
export function outcomeAt(column: Column, i: number, positive: string | number): number {
  if (column.nulls[i] === 1) return Number.NaN;
  if (column.kind === "number") {
    const v = column.values[i]!;
    return Number.isNaN(v) ? Number.NaN : v === Number(positive) ? 1 : 0;
  }
  if (column.kind === "boolean")
    return (column.values[i] === 1) === (String(positive) === "true" || String(positive) === "1") ? 1 : 0;
  return textAt(column, i) === String(positive) ? 1 : 0;
}

/** Each row's window start, and the rows left out counted by reason. */
export interface RowStarts {
  /** The start (UTC ms) of each row's window; `NaN` for a row left out. */
  starts: Float64Array;
  skipped: Map<string, number>;
  otherVersions: Map<string, number>;
  /** Whether every row is kept and in one window, `firstStart`. */
  uniform: boolean;
  firstStart: number;
}

/**
 * The window of each row of a log batch, with the same filter as {@link readLogRows} (another
 * model version, no or unparsable timestamp): other signals read from the same batch (operational
 * health) count exactly the rows drift does.
 *
 * @example
 * logRowStarts(batch, { fields: { timestamp: "ts" } }, 86_400_000).starts; // Float64Array [1748736000000, NaN, ...]
 */
export function logRowStarts(
  batch: Batch,
  options: Pick<LogRowOptions, "fields" | "version">,
  widthMs: number,
): RowStarts {
  const { fields } = options;
  const skipped = new Map<string, number>();
  const otherVersions = new Map<string, number>();
  const time = batch.columns.get(fields.timestamp);
  const version = fields.version === undefined ? undefined : batch.columns.get(fields.version);
  // Rows (within the batch) whose timestamp text did not parse: told apart from rows without one.
  const unparsed = new Set(
    (batch.invalid.get(fields.timestamp) ?? []).map((cell) => cell.row - batch.firstRow),
  );
  const starts = new Float64Array(batch.length);
  let firstStart = Number.NaN;
  let uniform = true;
  for (let i = 0; i < batch.length; i++) {
    starts[i] = Number.NaN;
    if (fields.version !== undefined && options.version !== undefined) {
      const logged = version ? textAt(version, i) : null;
      if (logged !== options.version) {
        const key = logged ?? "(none)";
        otherVersions.set(key, (otherVersions.get(key) ?? 0) + 1);
        skipped.set("other model version", (skipped.get("other model version") ?? 0) + 1);
        uniform = false;
        continue;
      }
    }
    const ms =
      time && (time.kind === "timestamp" || time.kind === "number") && time.nulls[i] === 0
        ? time.values[i]!
        : Number.NaN;
    if (!Number.isFinite(ms)) {
      const reason = unparsed.has(i) ? "timestamp does not parse" : "no timestamp";
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
      uniform = false;
      continue;
    }
    const start = windowStart(ms, widthMs);
    starts[i] = start;
    if (Number.isNaN(firstStart)) firstStart = start;
    else if (start !== firstStart) uniform = false;
  }
  return { starts, skipped, otherVersions, uniform, firstStart };
}
