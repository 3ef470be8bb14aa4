import type { ColumnDrift, DriftLevel } from "../profile/compare-column.js";
import type { Check } from "../results/check.js";
import { statusOfLevel } from "./drift-level.js";
import type { CalibrationCheck, DriftWindow, PredictionHealth } from "./drift-result.js";

/**
 * The one-line verdict of a drift check: the level, how many columns alert or warn, the worst
 * one and its reason, and the first window that alerted, so a reader knows when it began.
 *
 * @example
 * driftVerdict("alert", columns, windows, health, { used: 48_000, skipped: 1_000 });
 * // "alert: 2 of 10 columns alert, 1 warns (worst: monthly_charges, wasserstein 0.84 ≥ alert 0.2); first alert in the window from 2025-05-30T00:00:00.000Z"
 */
export function driftVerdict(
  level: DriftLevel,
  columns: readonly ColumnDrift[],
  windows: readonly DriftWindow[],
  health: PredictionHealth,
  rows: { used: number; skipped: number },
): string {
  if (rows.used === 0) {
    return `no data: no usable prediction logs (${rows.skipped} rows skipped); nothing was compared`;
  }
  const alerting = columns.filter((c) => c.level === "alert");
  const warning = columns.filter((c) => c.level === "warn");
  const compared = columns.filter((c) => c.level !== "no data").length;
  const worst = columns[0];
  const scoreLevel = health.scoreDrift?.level;
  const parts = [`${level}: ${alerting.length} of ${columns.length} columns alert, ${warning.length} warn`];
  if (compared < columns.length) parts[0] += ` (${columns.length - compared} without data)`;
  if (worst && worst.level !== "ok" && worst.level !== "no data") {
    parts.push(`worst: ${worst.column}, ${worst.reason}`);
  }
  if (scoreLevel === "alert" || scoreLevel === "warn") parts.push(`score drift ${scoreLevel}`);
  const firstAlert = windows.find((w) => w.level === "alert");
  let text = parts.length > 1 ? `${parts[0]} (${parts.slice(1).join("; ")})` : parts[0]!;
  if (firstAlert) text += `; first alert in the window from ${firstAlert.start}`;
  return text;
}

/**
 * The findings of a drift check as {@link Check}s, the shape every result file shares: one per
 * column (`drift`), one for the score distribution (`score-drift`), a `rows` check that warns
 * when there was nothing to compare, so an empty period never passes silently, and for a binary
 * model's performance estimate a `calibration` check that warns when the reference could not
 * establish the calibration the estimate rests on.
 *
 * @example
 * driftChecks(columns, health, 0)[0];
 * // { id: "rows", status: "warn", value: 0, limit: 1, reason: "no prediction logs to compare ..." }
 */
export function driftChecks(
  columns: readonly ColumnDrift[],
  health: PredictionHealth | null,
  used: number,
  calibration: CalibrationCheck | null = null,
): Check[] {
  const checks: Check[] = [];
  if (used === 0) {
    checks.push({
      id: "rows",
      status: "warn",
      value: 0,
      limit: 1,
      reason: "no rows to compare: the level is `no data`, not `ok`",
    });
  }
  for (const column of columns) checks.push(checkOf("drift", column));
  if (health?.scoreDrift) checks.push(checkOf("score-drift", health.scoreDrift));
  if (calibration) {
    checks.push({
      id: "calibration",
      status: calibration.status === "recalibrated" ? "pass" : "warn",
      value: calibration.ece,
      limit: null,
      reason: calibration.reason,
    });
  }
  return checks;
}

function checkOf(id: string, drift: ColumnDrift): Check {
  return {
    id,
    column: drift.column,
    status: statusOfLevel(drift.level),
    value: drift.score,
    limit: drift.details.thresholds?.alert ?? null,
    reason: `${drift.column}: ${drift.reason}`,
  };
}
