import { type ColumnDrift, compareColumn } from "../profile/compare-column.js";
import type { DriftMethod } from "../profile/drift-thresholds.js";
import type { Profile } from "../profile/profile.js";
import { levelRank } from "./drift-level.js";

/** Options of {@link compareProfiles}. */
export interface CompareProfilesOptions {
  /** Columns to compare (default: every column of the reference except timestamps). */
  columns?: readonly string[];
  method?: "auto" | DriftMethod;
  /** Score limits; when absent they are derived from the reference's chunks. */
  warn?: number | undefined;
  alert?: number | undefined;
}

/**
 * Compares every chosen column of `current` with the same column of `reference`, worst first
 * (alert, warn, ok, no data; then by score). A column the current data lack entirely is
 * reported as `no data` with that reason instead of failing the comparison of the others.
 *
 * @example
 * compareProfiles(reference, current, { columns: ["age", "plan"] });
 * // [{ column: "plan", level: "alert", method: "jensen-shannon", ... }, { column: "age", level: "ok", ... }]
 */
export function compareProfiles(
  reference: Profile,
  current: Profile,
  options: CompareProfilesOptions = {},
): ColumnDrift[] {
  const columns =
    options.columns ??
    Object.entries(reference.columns)
      .filter(([, p]) => p.kind !== "timestamp")
      .map(([name]) => name);
  const out: ColumnDrift[] = [];
  for (const column of columns) {
    const ref = reference.columns[column];
    const cur = current.columns[column];
    if (!ref) continue;
    if (!cur) {
      out.push(missingColumn(column, ref.kind, ref.count, current.rows));
      continue;
    }
    out.push(
      compareColumn(ref, cur, {
        column,
        method: options.method ?? "auto",
        ...(options.warn === undefined ? {} : { warn: options.warn }),
        ...(options.alert === undefined ? {} : { alert: options.alert }),
      }),
    );
  }
  return out.sort(worstFirst);
}

/**
 * Orders column results worst first: by level, then by how far past its alert limit the score is.
 *
 * @example
 * drifts.sort(worstFirst);
 */
export function worstFirst(a: ColumnDrift, b: ColumnDrift): number {
  return levelRank(b.level) - levelRank(a.level) || (driftIndex(b) ?? -1) - (driftIndex(a) ?? -1);
}

/**
 * A column's score as a multiple of its alert limit (1 = at the limit), comparable across methods.
 * `null` when the column has no score.
 *
 * @example
 * driftIndex({ score: 0.3, details: { thresholds: { warn: 0.1, alert: 0.2 } } }); // 1.5
 */
export function driftIndex(drift: Pick<ColumnDrift, "score" | "details">): number | null {
  const alert = drift.details.thresholds?.alert;
  if (drift.score === null || !alert) return null;
  return drift.score / alert;
}

function missingColumn(
  column: string,
  kind: ColumnDrift["kind"],
  refCount: number,
  rows: number,
): ColumnDrift {
  return {
    column,
    kind,
    method: null,
    score: null,
    pValue: null,
    level: "no data",
    reason: `the column is missing from the current data (${rows} rows read)`,
    details: {
      thresholds: null,
      values: { reference: refCount, current: 0 },
      nullRate: { reference: null, current: null, change: null, level: "no data" },
    },
  };
}
