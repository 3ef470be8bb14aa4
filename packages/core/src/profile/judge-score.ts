import type { Measurement } from "../stats/measurement.js";
import type { DriftLevel } from "./column-drift.js";
import type { DriftMethod, DriftThresholds } from "./drift-thresholds.js";

/** A drift score before it is judged: `null` when undefined, with the reason why. */
export interface Score {
  value: number | null;
  pValue: number | null;
  reason?: string;
}

/** A judged drift score: the method, its level against the thresholds and one line saying why. */
export interface Scored {
  method: DriftMethod | null;
  score: number | null;
  pValue: number | null;
  level: DriftLevel;
  reason: string;
}

/**
 * Judges a score against `warn`/`alert`; an undefined score is `no data`.
 *
 * @example
 * judged("psi", { value: 0.3, pValue: null }, { warn: 0.1, alert: 0.2, source: "default" });
 * // { method: "psi", score: 0.3, pValue: null, level: "alert", reason: "psi 0.3 ≥ alert 0.2" }
 */
export function judged(method: DriftMethod, score: Score, thresholds: DriftThresholds): Scored {
  if (score.value === null) {
    return { method, score: null, pValue: score.pValue, level: "no data", reason: score.reason ?? "" };
  }
  const level = levelOf(score.value, thresholds);
  const unit =
    method === "wasserstein"
      ? " (reference standard deviations)"
      : method === "chi-square"
        ? " (Cramér's V)"
        : "";
  const shown = round(score.value);
  const reason =
    level === "alert"
      ? `${method} ${shown} ≥ alert ${round(thresholds.alert)}${unit}`
      : level === "warn"
        ? `${method} ${shown} ≥ warn ${round(thresholds.warn)}${unit}`
        : `${method} ${shown} < warn ${round(thresholds.warn)}${unit}`;
  return { method, score: score.value, pValue: score.pValue, level, reason };
}

/**
 * A column that is not scored, with the level and the reason why.
 *
 * @example
 * unscored("ok", "timestamps are not compared for drift");
 * // { method: null, score: null, pValue: null, level: "ok", reason: "timestamps are not compared for drift" }
 */
export function unscored(level: DriftLevel, reason: string): Scored {
  return { method: null, score: null, pValue: null, level, reason };
}

/**
 * The level of a value held to `warn`/`alert` limits (a value at a limit reaches it).
 *
 * @example
 * levelOf(0.05, { warn: 0.05, alert: 0.1 }); // "warn"
 */
export function levelOf(value: number, limits: { warn: number; alert: number }): DriftLevel {
  if (value >= limits.alert) return "alert";
  if (value >= limits.warn) return "warn";
  return "ok";
}

/**
 * A distance with no p-value as a score.
 *
 * @example
 * fromMeasurement({ value: 0.2 }); // { value: 0.2, pValue: null }
 */
export function fromMeasurement(m: Measurement): Score {
  return m.value === null
    ? { value: null, pValue: null, reason: m.reason }
    : { value: m.value, pValue: null };
}

function round(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
