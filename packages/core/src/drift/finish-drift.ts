import { parseDuration } from "../manifest/duration.js";
import type { ColumnDrift } from "../profile/compare-column.js";
import { mergeAscendingAll, mergeProfiles } from "../profile/merge-profiles.js";
import type { Profile } from "../profile/profile.js";
import { worstStatus } from "../results/check.js";
import { calibratedEstimate, calibratedPoint } from "./calibrated-estimate.js";
import { compareProfiles, driftIndex, worstFirst } from "./compare-profiles.js";
import { worstLevel } from "./drift-level.js";
import type { DriftMonitorOptions } from "./drift-monitor.js";
import { DRIFT_SCHEMA, type DriftResult } from "./drift-result.js";
import type { DriftState } from "./drift-state.js";
import { driftChecks, driftVerdict } from "./drift-verdict.js";
import { emptyWindows } from "./empty-windows.js";
import { realisedMetrics, sortedLabelledRows } from "./realised-metrics.js";
import { calibrationCheck, referenceCalibration } from "./reference-calibration.js";
import { createScoreTally } from "./score-tally.js";
import { mergeScoreTallyStates } from "./score-tally-state.js";
import { buildPerformance, healthOf, scoreDrift } from "./window-health.js";

const EMPTY: Profile = { schema: "gauntlet/profile@1", rows: 0, chunkRows: 1, columns: {} };

/**
 * The drift result of a monitor's state — one run's, or the merge of several shards' — against
 * the options' reference. The period's score tally is the sum of the windows' tallies, and the
 * labelled sample is put in score order before its bootstrap, so the result depends on which rows
 * were seen, not on the order they arrived in.
 *
 * @example
 * finishDrift(options, mergeDriftStates(parts, { seed: "churn" })).level; // "ok"
 */
export function finishDrift(options: DriftMonitorOptions, state: DriftState): DriftResult {
  const width = parseDuration(options.window);
  const ordered = [...state.windows].sort((a, b) => a.start - b.start);
  const profiles = ordered.map((w) => w.profile);
  const finishTally = (s: DriftState["windows"][number]["tally"]) =>
    s && options.binary ? createScoreTally(options.binary, s).finish() : null;
  const compare = (profile: Profile): ColumnDrift[] =>
    compareProfiles(options.reference, profile, {
      columns: options.columns,
      method: options.method ?? "auto",
      warn: options.warn,
      alert: options.alert,
    });
  const scoring = { ...options, score: options.fields.score };
  const first = profiles[0];
  // CBPE on recalibrated scores when the reference's labels establish a calibration.
  const calibration = options.binary ? referenceCalibration(options.reference) : null;
  const recalibrated = calibration?.status === "recalibrated" ? calibration : null;
  const pointOf = (tally: DriftState["windows"][number]["tally"]) =>
    recalibrated && tally && options.binary
      ? calibratedPoint(tally, recalibrated.map, options.binary.threshold)
      : null;
  const windowResults = ordered.map((w, i) => {
    const columns = compare(profiles[i]!);
    const summary = finishTally(w.tally);
    const point = pointOf(w.tally);
    const health = healthOf(summary, scoreDrift(scoring, profiles[i]!, first));
    const scored = [...columns, ...(health.scoreDrift ? [health.scoreDrift] : [])];
    const indexed = scored.filter((c) => driftIndex(c) !== null);
    const worst = indexed.sort((a, b) => driftIndex(b)! - driftIndex(a)!)[0];
    return {
      start: new Date(w.start).toISOString(),
      end: new Date(w.start + width).toISOString(),
      rows: profiles[i]!.rows,
      level: worstLevel(scored.map((c) => c.level)),
      driftIndex: worst ? driftIndex(worst) : null,
      worstColumn: worst?.column ?? null,
      alerting: scored.filter((c) => c.level === "alert").map((c) => c.column),
      health,
      estimatedAccuracy: point ? point.accuracy : (summary?.estimated.accuracy ?? null),
      estimatedRocAuc: point ? point.roc_auc : (summary?.estimated.roc_auc ?? null),
      realisedAccuracy: summary?.realisedAccuracy ?? null,
      labelled: summary?.labelled ?? 0,
    };
  });
  // The whole period: merged without the kept values, which are joined one column at a time (a
  // column's values for the period are as large as all its windows' together).
  const overall = profiles
    .map(withoutValues)
    .reduce<Profile | undefined>((acc, p) => (acc ? mergeProfiles(acc, p) : p), undefined);
  const columns = overall
    ? options.columns
        .flatMap((c) =>
          compareProfiles(options.reference, withValuesOf(overall, profiles, c), {
            columns: [c],
            method: options.method ?? "auto",
            warn: options.warn,
            alert: options.alert,
          }),
        )
        .sort(worstFirst)
    : compareProfiles(options.reference, EMPTY, options);
  // Without a reference score column, the period's score drift is its last window against its first.
  const scoreCurrent =
    scoring.reference.columns[scoring.score ?? ""] && overall
      ? withValuesOf(overall, profiles, scoring.score!)
      : profiles[profiles.length - 1];
  const tallies = ordered.flatMap((w) => (w.tally ? [w.tally] : []));
  const overallTally = mergeScoreTallyStates(tallies);
  const overallSummary = options.binary ? finishTally(overallTally) : null;
  const health = healthOf(overallSummary, scoreDrift(scoring, scoreCurrent ?? EMPTY, first));
  const levels = [...columns, ...(health.scoreDrift ? [health.scoreDrift] : [])].map((c) => c.level);
  const used = state.rows.used;
  const level = used === 0 ? "no data" : worstLevel(levels);
  const skippedTotal = Object.values(state.rows.skipped).reduce((s, n) => s + n, 0);
  const calibrationResult = calibration ? calibrationCheck(calibration) : null;
  const checks = driftChecks(columns, health, used, calibrationResult);
  const labelled = state.labelled ? sortedLabelledRows(state.labelled) : null;
  return {
    schema: DRIFT_SCHEMA,
    model: { ...options.model },
    reference: options.referenceSource,
    rows: {
      read: state.rows.read,
      used,
      skipped: { ...state.rows.skipped },
      otherVersions: { ...state.rows.otherVersions },
    },
    window: options.window,
    windows: windowResults,
    emptyWindows: emptyWindows(windowResults),
    columns,
    health,
    performance:
      options.binary && overallSummary && calibrationResult && state.labelled && labelled
        ? buildPerformance(
            overallSummary,
            {
              calibration: calibrationResult,
              ...(recalibrated && overallTally.rows > 0
                ? {
                    estimated: calibratedEstimate(overallTally, recalibrated, {
                      threshold: options.binary.threshold,
                      seed: options.model.name,
                    }),
                  }
                : {}),
            },
            state.labelled.seen,
            labelled,
            options.binary.threshold,
            realisedMetrics,
          )
        : null,
    level,
    verdict: driftVerdict(level, columns, windowResults, health, { used, skipped: skippedTotal }),
    checks,
    status: worstStatus(checks.map((c) => c.status)),
  };
}

function withoutValues(profile: Profile): Profile {
  const columns: Profile["columns"] = {};
  for (const [name, c] of Object.entries(profile.columns)) {
    if (c.kind !== "number" || !c.values) columns[name] = c;
    else {
      const { values: _, ...rest } = c;
      columns[name] = rest;
    }
  }
  return { ...profile, columns };
}

/**
 * `overall` with one numeric column's values for the whole period: every window's, when every
 * window kept them (else none, and that column is compared on its sketch).
 */
function withValuesOf(overall: Profile, windows: readonly Profile[], column: string): Profile {
  const merged = overall.columns[column];
  if (merged?.kind !== "number") return overall;
  const parts: Float64Array[] = [];
  for (const w of windows) {
    const c = w.columns[column];
    if (!c || c.count === 0) continue;
    if (c.kind !== "number" || !c.values) return overall;
    parts.push(c.values);
  }
  // Each window's values are sorted: one merge pass, not a sort, and no array but the result.
  const values = mergeAscendingAll(parts);
  return { ...overall, columns: { ...overall.columns, [column]: { ...merged, values } } };
}
