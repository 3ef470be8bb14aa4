import type { DriftLevel } from "../profile/compare-column.js";

/** The label every drift issue carries; issues are found by it plus the per-model marker. */
export const DRIFT_LABEL = "gauntlet:drift";

/**
 * What drift-check remembers between scheduled runs. It lives in the issue body as a hidden
 * comment, so the schedule needs no storage of its own and a human can see (and reset) it.
 */
export interface DriftIssueState {
  v: 1;
  /** The level and alerting columns of the last run, to tell whether the picture changed. */
  level: DriftLevel;
  alerting: string[];
  /** Consecutive alerting runs, and consecutive runs without an alert. */
  alerts: number;
  healthy: number;
  /** Identifies this alert episode (the run that opened the issue). */
  episode: string;
  /** The retraining workflow was dispatched in this episode. */
  retrained: boolean;
  /**
   * The last retraining dispatch (any episode): when, and the triggers that fired. The schedule and
   * labelled-rows triggers count from it, so a re-run never dispatches twice.
   */
  lastRetrain?: { at: string; triggers: string[] };
}

const STATE_PATTERN = /<!-- gauntlet:drift-state (\{.*?\}) -->/s;

/**
 * The hidden marker that identifies a model's drift issue.
 *
 * @example
 * driftIssueMarker("churn"); // "<!-- gauntlet:drift=churn -->"
 */
export function driftIssueMarker(model: string): string {
  return `<!-- gauntlet:drift=${model} -->`;
}

/**
 * The state as a hidden HTML comment. `<`, `>` and `-` inside strings are JSON-escaped so column
 * names can never close the comment early.
 *
 * @example
 * encodeIssueState({ v: 1, level: "alert", alerting: ["age"], alerts: 1, healthy: 0, episode: "42", retrained: false });
 * // '<!-- gauntlet:drift-state {"v":1,"level":"alert",...} -->'
 */
export function encodeIssueState(state: DriftIssueState): string {
  const json = JSON.stringify(state).replace(
    /[<>-]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `<!-- gauntlet:drift-state ${json} -->`;
}

/**
 * Reads the state back from an issue body; `null` when there is none or it is not well formed
 * (someone edited it): the caller then starts counting afresh rather than failing.
 *
 * @example
 * readIssueState(issue.body)?.alerts; // 2
 */
export function readIssueState(body: string | null | undefined): DriftIssueState | null {
  const match = STATE_PATTERN.exec(body ?? "");
  if (!match) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(match[1]!);
  } catch {
    return null;
  }
  const s = raw as Partial<DriftIssueState>;
  const levels = ["ok", "warn", "alert", "no data"];
  const wellFormed =
    s.v === 1 &&
    typeof s.level === "string" &&
    levels.includes(s.level) &&
    Array.isArray(s.alerting) &&
    s.alerting.every((c) => typeof c === "string") &&
    Number.isInteger(s.alerts) &&
    Number.isInteger(s.healthy) &&
    typeof s.episode === "string" &&
    typeof s.retrained === "boolean" &&
    (s.lastRetrain === undefined ||
      (typeof s.lastRetrain === "object" &&
        s.lastRetrain !== null &&
        typeof s.lastRetrain.at === "string" &&
        Number.isFinite(Date.parse(s.lastRetrain.at)) &&
        Array.isArray(s.lastRetrain.triggers) &&
        s.lastRetrain.triggers.every((t) => typeof t === "string")));
  return wellFormed ? (s as DriftIssueState) : null;
}
