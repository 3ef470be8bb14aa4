import { parseDuration } from "../manifest/duration.js";
import type { DriftLevel } from "../profile/compare-column.js";

/** `monitoring.retrain`, as the manifest holds it. */
export interface RetrainSettings {
  workflow: string;
  after?: number | "never" | undefined;
  "on-performance"?: boolean | undefined;
  labels?: number | undefined;
  every?: string | undefined;
}

/**
 * The alert triggers a `monitoring.retrain` section turns on. `labels` and `every` turn their own
 * triggers on; drift and performance are on by default only in a section with neither (so
 * `retrain: { workflow: retrain.yml }` retrains on drift and on performance), and next to them
 * only when named (`after: 3`, `on-performance: true`). `after: never` and `on-performance: false`
 * turn them off anywhere.
 *
 * @example
 * alertTriggers({ workflow: "retrain.yml" });               // { driftAfter: 1, performance: true }
 * alertTriggers({ workflow: "retrain.yml", labels: 5000 }); // { driftAfter: null, performance: false }
 */
export function alertTriggers(retrain: RetrainSettings): { driftAfter: number | null; performance: boolean } {
  const byDefault = retrain.labels === undefined && retrain.every === undefined;
  const after = retrain.after ?? (byDefault ? 1 : "never");
  return {
    driftAfter: after === "never" ? null : after,
    performance: retrain["on-performance"] ?? byDefault,
  };
}

/** The triggers of a retraining dispatch, in the order they are named. */
export type RetrainTrigger = "performance" | "drift" | "labelled-rows" | "schedule";

/** One trigger that fired, and why in one line. */
export interface FiredRetrainTrigger {
  trigger: RetrainTrigger;
  reason: string;
}

/** What {@link retrainTriggers} decides from: this run, and what the issue remembers. */
export interface RetrainTriggerInput {
  retrain: RetrainSettings;
  level: DriftLevel;
  alerting: readonly string[];
  /** Consecutive alerting runs, this one included (0 when this run does not alert). */
  alerts: number;
  /** The workflow was already dispatched in this alert episode (drift and performance fire once per episode). */
  episodeRetrained: boolean;
  /** Failing performance limits of this run (`realised-roc_auc`, ...). */
  performanceAlerts: readonly string[];
  /** The run's windows: their start and labelled rows. */
  windows: readonly { start: string; labelled: number }[];
  /** The production release the reference came from, when it did: its tag and publication time (ISO). */
  release?: { tag: string; at: string } | undefined;
  /** The last retraining dispatch (ISO), as the model's drift issues record it. */
  lastDispatch?: string | undefined;
  now: Date;
}

/**
 * Which retraining triggers fire in this run (drift and performance only when turned on, see
 * {@link alertTriggers}):
 * - `performance`: a performance limit fails, once per episode;
 * - `drift`: `after` consecutive alerting runs, once per episode;
 * - `labelled-rows`: at least `labels` labelled rows in the whole windows that start at or after
 *   the later of the release and the last dispatch (a window that straddles that moment holds
 *   rows the last training may have seen, so it never counts);
 * - `schedule`: `every` has passed since the later of the release and the last dispatch (at
 *   once when neither is known: a reference file has no release date).
 *
 * Counting from the last dispatch is what makes a re-run safe: right after a dispatch no window
 * starts later, and no time has passed.
 *
 * @example
 * retrainTriggers({ retrain: { workflow: "retrain.yml", after: 3, labels: 500 }, level: "ok", alerting: [],
 *   alerts: 0, episodeRetrained: false, performanceAlerts: [], windows, release, now: new Date() });
 * // [{ trigger: "labelled-rows", reason: "812 labelled rows logged since release churn/v1.2.0 (2025-01-15T12:00:01Z); the limit is 500" }]
 */
export function retrainTriggers(input: RetrainTriggerInput): FiredRetrainTrigger[] {
  const { retrain } = input;
  const fired: FiredRetrainTrigger[] = [];
  const on = alertTriggers(retrain);
  if (input.level === "alert" && !input.episodeRetrained) {
    if (on.performance && input.performanceAlerts.length > 0)
      fired.push({
        trigger: "performance",
        reason: `performance limit failed (${input.performanceAlerts.join(", ")})`,
      });
    if (on.driftAfter !== null && input.alerts >= on.driftAfter)
      fired.push({
        trigger: "drift",
        reason: `${input.alerts} consecutive alerting ${input.alerts === 1 ? "run" : "runs"} (${input.alerting.slice(0, 5).join(", ")})`,
      });
  }
  const since = countFrom(input);
  if (retrain.labels !== undefined) {
    const from = since?.ms ?? Number.NEGATIVE_INFINITY;
    const labelled = input.windows
      .filter((w) => Date.parse(w.start) >= from)
      .reduce((sum, w) => sum + w.labelled, 0);
    if (labelled >= retrain.labels)
      fired.push({
        trigger: "labelled-rows",
        reason: `${labelled} labelled rows logged ${since ? `since ${since.what}` : "in the logs read"}; the limit is ${retrain.labels}`,
      });
  }
  if (retrain.every !== undefined) {
    const every = parseDuration(retrain.every);
    const elapsed = since ? input.now.getTime() - since.ms : Number.POSITIVE_INFINITY;
    if (elapsed >= every)
      fired.push({
        trigger: "schedule",
        reason: since
          ? `${formatDays(elapsed)} since ${since.what}; the schedule is every ${retrain.every}`
          : `no release date or earlier dispatch is known; the schedule is every ${retrain.every}`,
      });
  }
  return fired;
}

/** The later of the release and the last dispatch, and how to name it. */
function countFrom(input: RetrainTriggerInput): { ms: number; what: string } | null {
  const release = input.release ? Date.parse(input.release.at) : Number.NaN;
  const dispatch = input.lastDispatch ? Date.parse(input.lastDispatch) : Number.NaN;
  if (Number.isFinite(dispatch) && !(dispatch < release))
    return { ms: dispatch, what: `the last retraining dispatch (${input.lastDispatch})` };
  if (Number.isFinite(release))
    return { ms: release, what: `release ${input.release!.tag} (${input.release!.at})` };
  return null;
}

/** "41.5 days", "6.0 hours": elapsed time at a glance. */
function formatDays(ms: number): string {
  const days = ms / 86_400_000;
  return days >= 1 ? `${days.toFixed(1)} days` : `${(ms / 3_600_000).toFixed(1)} hours`;
}
