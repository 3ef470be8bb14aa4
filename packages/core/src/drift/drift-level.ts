import type { DriftLevel } from "../profile/compare-column.js";

const LEVEL_SEVERITY: Record<DriftLevel, number> = { "no data": 0, ok: 1, warn: 2, alert: 3 };

/**
 * Orders drift levels from least to most worrying: `no data` < `ok` < `warn` < `alert`.
 *
 * @example
 * levelRank("alert") > levelRank("warn"); // true
 */
export function levelRank(level: DriftLevel): number {
  return LEVEL_SEVERITY[level];
}

/**
 * The worst of several levels. `no data` only when nothing had data, so one empty column never
 * hides the verdict on the others and an empty period is never reported as `ok`.
 *
 * @example
 * worstLevel(["ok", "no data", "warn"]); // "warn"
 * worstLevel([]); // "no data"
 */
export function worstLevel(levels: Iterable<DriftLevel>): DriftLevel {
  let worst: DriftLevel = "no data";
  for (const level of levels) if (LEVEL_SEVERITY[level] > LEVEL_SEVERITY[worst]) worst = level;
  return worst;
}

/**
 * The check status of a drift level, as `drift.json` and `validation.json` report it:
 * `alert` fails, `warn` warns, `ok` passes and `no data` is a skip (nothing was measured).
 *
 * @example
 * statusOfLevel("alert"); // "fail"
 */
export function statusOfLevel(level: DriftLevel): "pass" | "warn" | "fail" | "skip" {
  return level === "alert" ? "fail" : level === "warn" ? "warn" : level === "ok" ? "pass" : "skip";
}
