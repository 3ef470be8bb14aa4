import { logRowStarts } from "../drift/log-rows.js";
import { UserError } from "../errors/user-error.js";
import { parseDuration } from "../manifest/duration.js";
import type { Batch } from "../table/column.js";
import { GrowableDoubles } from "./growable-doubles.js";
import { checkParsedFlags, loggedFlag } from "./logged-flag.js";

/** What {@link createOperationsTally} reads from each log row. */
export interface OperationsTallyOptions {
  fields: { timestamp: string; version?: string; latency?: string; error?: string };
  /** With `fields.version`: only rows of this version count (as for drift). */
  version?: string;
  window: string;
  /** The manifest, named in errors about the logged values. */
  file: string;
  /** Windows kept at most (default 400, as the drift monitor); later new windows are skipped. */
  maxWindows?: number;
}

/** One window's operational counts; latencies as logged (unit not applied), sorted. */
export interface OperationsWindowState {
  start: number;
  rows: number;
  latencies: Float64Array;
  /** Rows with an error flag, and those flagged as failed. */
  errorRows: number;
  errors: number;
}

/** What the rows so far amount to: per window, and whether the logs had each field at all. */
export interface OperationsState {
  windows: OperationsWindowState[];
  seen: { latency: boolean; error: boolean };
}

/** Streams log batches into per-window operational counts (see {@link OperationsState}). */
export interface OperationsTally {
  /**
   * `starts`: each row's window ({@link logRowStarts}), when the caller has them already; `rows`:
   * only these rows, ascending (one segment's), instead of every row of the batch.
   */
  add(batch: Batch, starts?: Float64Array, rows?: Uint32Array): void;
  state(): OperationsState;
}

/**
 * Start counting operational health — rows, latencies and error flags per UTC window — from the
 * same log batches drift reads, with the same row filter ({@link logRowStarts}). An error flag
 * may be a boolean, a number (non-zero: failed) or the text `true`/`false`/`1`/`0` (any case);
 * any other text is a {@link UserError} naming the value, its row and `monitoring.error`. A
 * latency that does not parse as a number is one naming `monitoring.latency`; missing, negative
 * and infinite latencies are left out.
 *
 * @example
 * const tally = createOperationsTally({ fields: { timestamp: "ts", latency: "latency_ms", error: "error" }, window: "1d", file });
 * tally.add(batch);
 * tally.state().windows[0]; // { start: 1748736000000, rows: 512, latencies: Float64Array [...], errorRows: 512, errors: 3 }
 */
export function createOperationsTally(options: OperationsTallyOptions): OperationsTally {
  const width = parseDuration(options.window);
  const maxWindows = options.maxWindows ?? 400;
  const windows = new Map<
    number,
    { rows: number; latencies: GrowableDoubles; errorRows: number; errors: number }
  >();
  const seen = { latency: false, error: false };
  const { latency: latencyField, error: errorField } = options.fields;
  return {
    add(batch, starts = logRowStarts(batch, options, width).starts, rows) {
      const latency = latencyField === undefined ? undefined : batch.columns.get(latencyField);
      const error = errorField === undefined ? undefined : batch.columns.get(errorField);
      if (latency) checkLatency(batch, latencyField!, options.file);
      const flag = { file: options.file, field: "monitoring.error", what: "error flag" };
      if (errorField !== undefined) checkParsedFlags(batch, errorField, flag);
      seen.latency ||= latency !== undefined;
      seen.error ||= error !== undefined;
      const count = rows ? rows.length : batch.length;
      // Rows come in runs of one window (logs in time order): the last window found is kept, so
      // most rows need no lookup by their (boxed) start.
      let lastStart = Number.NaN;
      let w: ReturnType<typeof windows.get>;
      for (let k = 0; k < count; k++) {
        const i = rows ? rows[k]! : k;
        const start = starts[i]!;
        if (Number.isNaN(start)) continue;
        if (start !== lastStart) {
          let found = windows.get(start);
          if (!found) {
            if (windows.size >= maxWindows) continue;
            found = { rows: 0, latencies: new GrowableDoubles(), errorRows: 0, errors: 0 };
            windows.set(start, found);
          }
          w = found;
          lastStart = start;
        }
        const own = w!;
        own.rows++;
        const ms = latency?.kind === "number" && latency.nulls[i] === 0 ? latency.values[i]! : Number.NaN;
        if (Number.isFinite(ms) && ms >= 0) own.latencies.push(ms);
        if (error) {
          const failed = loggedFlag(error, i, batch, flag);
          if (failed !== null) {
            own.errorRows++;
            if (failed) own.errors++;
          }
        }
      }
    },
    state() {
      return {
        windows: [...windows.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([start, w]) => ({
            start,
            rows: w.rows,
            latencies: w.latencies.finish().sort(),
            errorRows: w.errorRows,
            errors: w.errors,
          })),
        seen: { ...seen },
      };
    },
  };
}

function checkLatency(batch: Batch, field: string, file: string): void {
  const bad = batch.invalid.get(field)?.[0];
  const column = batch.columns.get(field);
  if (!bad && column?.kind !== "category") return;
  const raw = bad ? bad.raw : (column as { values: string[] }).values.find((v) => v !== "");
  throw new UserError(`latency "${raw}" in ${batch.source}${bad ? ` row ${bad.row}` : ""} is not a number`, {
    file,
    field: "monitoring.latency",
    fix: "log the latency as a plain number (its unit in monitoring.latency-unit: ms or s), or point monitoring.latency at the field that holds it",
  });
}
