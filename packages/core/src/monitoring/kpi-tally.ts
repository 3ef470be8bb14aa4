import { logRowStarts } from "../drift/log-rows.js";
import { UserError } from "../errors/user-error.js";
import { parseDuration } from "../manifest/duration.js";
import type { Batch } from "../table/column.js";
import { checkParsedFlags, loggedFlag } from "./logged-flag.js";

/** A KPI as the tally reads it. */
export interface KpiSpec {
  name: string;
  field: string;
  aggregate: "rate" | "mean" | "sum";
}

/** What {@link createKpiTally} reads. */
export interface KpiTallyOptions {
  fields: { timestamp: string; version?: string };
  version?: string;
  window: string;
  kpis: readonly KpiSpec[];
  /** The manifest, named in errors. */
  file: string;
  maxWindows?: number;
}

/** One KPI's sums in one window: values seen, their sum and sum of squares (a rate sums 0/1). */
export interface KpiSums {
  n: number;
  sum: number;
  sumSquares: number;
}

/** One window's rows and KPI sums, by KPI name. */
export interface KpiWindowState {
  start: number;
  rows: number;
  kpis: Record<string, KpiSums>;
}

/** Streams log batches into per-window KPI sums. */
export interface KpiTally {
  /**
   * `starts`: each row's window ({@link logRowStarts}), when the caller has them already; `rows`:
   * only these rows, ascending (one segment's), instead of every row of the batch.
   */
  add(batch: Batch, starts?: Float64Array, rows?: Uint32Array): void;
  state(): KpiWindowState[];
}

/**
 * Sums each KPI's logged field per UTC window over the rows drift reads: a `rate` counts true
 * flags (see {@link loggedFlag}), `mean` and `sum` add numbers. Missing values are left out (a
 * window without the field has `n = 0` for it); a value that is not a number (or a flag) is a
 * {@link UserError} naming it, its row and the KPI.
 *
 * @example
 * const tally = createKpiTally({ fields: { timestamp: "ts" }, window: "1d", file, kpis: [{ name: "retained", field: "retained", aggregate: "rate" }] });
 * tally.add(batch);
 * tally.state()[0].kpis.retained; // { n: 480, sum: 401, sumSquares: 401 }
 */
export function createKpiTally(options: KpiTallyOptions): KpiTally {
  const width = parseDuration(options.window);
  const maxWindows = options.maxWindows ?? 400;
  const windows = new Map<number, KpiWindowState>();
  return {
    add(batch, starts = logRowStarts(batch, options, width).starts, rows) {
      const columns = options.kpis.map((kpi, k) => {
        const column = batch.columns.get(kpi.field);
        const where = {
          file: options.file,
          field: `monitoring.kpis[${k}].field`,
          what: `KPI ${kpi.name} value`,
        };
        if (column && kpi.aggregate === "rate") checkParsedFlags(batch, kpi.field, where);
        if (column && kpi.aggregate !== "rate") checkNumbers(batch, kpi.field, where);
        return { kpi, column, where };
      });
      const count = rows ? rows.length : batch.length;
      // Rows come in runs of one window (logs in time order): the last window found, and its
      // sums in the order of `columns`, are kept.
      let w: KpiWindowState | undefined;
      let sumsOf: KpiSums[] = [];
      for (let k = 0; k < count; k++) {
        const i = rows ? rows[k]! : k;
        const start = starts[i]!;
        if (Number.isNaN(start)) continue;
        if (w?.start !== start) {
          let found = windows.get(start);
          if (!found) {
            if (windows.size >= maxWindows) continue;
            found = { start, rows: 0, kpis: {} };
            for (const kpi of options.kpis) found.kpis[kpi.name] = { n: 0, sum: 0, sumSquares: 0 };
            windows.set(start, found);
          }
          w = found;
          sumsOf = columns.map(({ kpi }) => found.kpis[kpi.name]!);
        }
        w.rows++;
        for (let c = 0; c < columns.length; c++) {
          const { kpi, column, where } = columns[c]!;
          if (!column) continue;
          let x: number;
          if (kpi.aggregate === "rate") {
            const flag = loggedFlag(column, i, batch, where);
            if (flag === null) continue;
            x = flag ? 1 : 0;
          } else {
            if (column.kind !== "number" || column.nulls[i] === 1 || !Number.isFinite(column.values[i]!))
              continue;
            x = column.values[i]!;
          }
          const sums = sumsOf[c]!;
          sums.n++;
          sums.sum += x;
          sums.sumSquares += x * x;
        }
      }
    },
    state() {
      return [...windows.values()].sort((a, b) => a.start - b.start);
    },
  };
}

function checkNumbers(
  batch: Batch,
  name: string,
  where: { file: string; field: string; what: string },
): void {
  const column = batch.columns.get(name)!;
  const bad = batch.invalid.get(name)?.[0];
  if (!bad && column.kind === "number") return;
  const raw =
    bad?.raw ?? (column.kind === "category" ? column.values.find((v) => v !== "") : String(column.values[0]));
  throw new UserError(
    `${where.what} "${raw}" in ${batch.source}${bad ? ` row ${bad.row}` : ""} is not a number`,
    {
      file: where.file,
      field: where.field,
      fix: "log the KPI as a plain number, or use aggregate: rate for a true/false field",
    },
  );
}
