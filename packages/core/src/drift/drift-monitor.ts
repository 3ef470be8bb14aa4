import { parseDuration } from "../manifest/duration.js";
import type { ColumnDrift } from "../profile/compare-column.js";
import { createProfileBuilder, type ProfileBuilder } from "../profile/create-profile-builder.js";
import type { DriftMethod } from "../profile/drift-thresholds.js";
import { mergeProfiles } from "../profile/merge-profiles.js";
import type { Profile } from "../profile/profile.js";
import { worstStatus } from "../results/check.js";
import type { Batch } from "../table/column.js";
import { compareProfiles, driftIndex } from "./compare-profiles.js";
import { worstLevel } from "./drift-level.js";
import { DRIFT_SCHEMA, type DriftResult, type ReferenceSource } from "./drift-result.js";
import { driftChecks, driftVerdict } from "./drift-verdict.js";
import { readLogRows } from "./log-rows.js";
import { createLabelledSample, type LabelledSample, realisedMetrics } from "./realised-metrics.js";
import { createScoreTally, type ScoreTally } from "./score-tally.js";
import { buildPerformance, healthOf, scoreDrift } from "./window-health.js";

/** What {@link createDriftMonitor} compares, and how. */
export interface DriftMonitorOptions {
  model: { name: string; version: string };
  reference: Profile;
  referenceSource: ReferenceSource;
  /** Reference columns to compare (feature names without the `features` prefix). */
  columns: readonly string[];
  /** The logged fields; `features` is the nested object holding the inputs (`inputs.age`). */
  fields: { timestamp: string; features?: string; score?: string; outcome?: string; version?: string };
  /** With `fields.version`: rows logged under any other version are skipped and counted. */
  version?: string;
  /** Binary classifiers: the positive class (as logged) and the decision threshold. */
  binary?: { positive: string | number; threshold: number };
  /** Window width, e.g. `1d`. */
  window: string;
  method?: "auto" | DriftMethod;
  warn?: number | undefined;
  alert?: number | undefined;
  /** Windows kept at most (default 400); rows of later new windows are skipped and counted. */
  maxWindows?: number;
  /** Labelled rows kept for the realised metrics (default 100,000; a seeded sample beyond). */
  labelledCapacity?: number;
}

/** Streams prediction-log batches into a {@link DriftResult}. Memory: windows × columns × sketch. */
export interface DriftMonitor {
  add(batch: Batch): void;
  finish(): DriftResult;
}

const EMPTY: Profile = { schema: "gauntlet/profile@1", rows: 0, chunkRows: 1, columns: {} };

interface WindowState {
  start: number;
  builder: ProfileBuilder;
  tally: ScoreTally | null;
}

/**
 * Start a drift check of logged predictions against a reference profile. Each batch's rows are
 * filtered (other model versions, rows without a usable timestamp), assigned to UTC-aligned
 * windows and profiled on the reference's bin edges; `finish` compares every window and the
 * whole period column by column with `compareColumn` (effect sizes decide), and adds prediction
 * health, confidence-based performance estimates and realised metrics. Pure: no I/O, no clock.
 *
 * @example
 * const monitor = createDriftMonitor({ model, reference, referenceSource, columns: ["age", "plan"],
 *   fields: { timestamp: "ts", features: "inputs", score: "score", version: "model_version" },
 *   version: "1.2.0", binary: { positive: 1, threshold: 0.5 }, window: "1d" });
 * for await (const batch of readTable("logs/*.jsonl")) monitor.add(batch);
 * monitor.finish().level; // "ok"
 */
export function createDriftMonitor(options: DriftMonitorOptions): DriftMonitor {
  const width = parseDuration(options.window);
  const maxWindows = options.maxWindows ?? 400;
  const windows = new Map<number, WindowState>();
  const skipped: Record<string, number> = {};
  const otherVersions: Record<string, number> = {};
  const overallTally = options.binary ? createScoreTally(options.binary) : null;
  const sample: LabelledSample | null = options.binary
    ? createLabelledSample(options.labelledCapacity ?? 100_000, options.model.name)
    : null;
  let read = 0;
  let used = 0;
  const skip = (reason: string, n = 1): void => {
    skipped[reason] = (skipped[reason] ?? 0) + n;
  };
  const windowOf = (start: number): WindowState | undefined => {
    let state = windows.get(start);
    if (!state && windows.size < maxWindows) {
      state = {
        start,
        builder: createProfileBuilder({ reference: options.reference }),
        tally: options.binary ? createScoreTally(options.binary) : null,
      };
      windows.set(start, state);
    }
    return state;
  };

  return {
    add(batch) {
      read += batch.length;
      const rows = readLogRows(batch, options, width);
      for (const [version, n] of rows.otherVersions)
        otherVersions[version] = (otherVersions[version] ?? 0) + n;
      for (const [reason, n] of rows.skipped) skip(reason, n);
      for (const [start, part] of rows.windows) {
        const state = windowOf(start);
        if (!state) {
          skip("beyond the window limit", part.batch.length);
          continue;
        }
        state.builder.add(part.batch);
        used += part.batch.length;
        for (let i = 0; i < part.scores.length; i++) {
          const score = part.scores[i]!;
          const outcome = part.outcomes[i]!;
          state.tally?.add(score, outcome);
          overallTally?.add(score, outcome);
          if ((outcome === 0 || outcome === 1) && score >= 0 && score <= 1) sample?.add(score, outcome);
        }
      }
    },
    finish() {
      const ordered = [...windows.values()].sort((a, b) => a.start - b.start);
      const profiles = ordered.map((w) => w.builder.finish());
      const compare = (profile: Profile): ColumnDrift[] =>
        compareProfiles(options.reference, profile, {
          columns: options.columns,
          method: options.method ?? "auto",
          warn: options.warn,
          alert: options.alert,
        });
      const scoring = { ...options, score: options.fields.score };
      const first = profiles[0];
      const windowResults = ordered.map((w, i) => {
        const columns = compare(profiles[i]!);
        const health = healthOf(w.tally?.finish() ?? null, scoreDrift(scoring, profiles[i]!, first));
        const scored = [...columns, ...(health.scoreDrift ? [health.scoreDrift] : [])];
        const indexed = scored.filter((c) => driftIndex(c) !== null);
        const worst = indexed.sort((a, b) => driftIndex(b)! - driftIndex(a)!)[0];
        const summary = w.tally?.finish();
        return {
          start: new Date(w.start).toISOString(),
          end: new Date(w.start + width).toISOString(),
          rows: profiles[i]!.rows,
          level: worstLevel(scored.map((c) => c.level)),
          driftIndex: worst ? driftIndex(worst) : null,
          worstColumn: worst?.column ?? null,
          alerting: scored.filter((c) => c.level === "alert").map((c) => c.column),
          health,
          estimatedAccuracy: summary?.estimated.accuracy ?? null,
          estimatedRocAuc: summary?.estimated.roc_auc ?? null,
          realisedAccuracy: summary?.realisedAccuracy ?? null,
          labelled: summary?.labelled ?? 0,
        };
      });
      const overall = profiles.reduce<Profile | undefined>(
        (acc, p) => (acc ? mergeProfiles(acc, p) : p),
        undefined,
      );
      const columns = overall ? compare(overall) : compareProfiles(options.reference, EMPTY, options);
      // Without a reference score column, the period's score drift is its last window against its first.
      const scoreCurrent = scoring.reference.columns[scoring.score ?? ""]
        ? overall
        : profiles[profiles.length - 1];
      const health = healthOf(
        overallTally?.finish() ?? null,
        scoreDrift(scoring, scoreCurrent ?? EMPTY, first),
      );
      const levels = [...columns, ...(health.scoreDrift ? [health.scoreDrift] : [])].map((c) => c.level);
      const level = used === 0 ? "no data" : worstLevel(levels);
      const skippedTotal = Object.values(skipped).reduce((s, n) => s + n, 0);
      const checks = driftChecks(columns, health, used);
      const labelled = sample?.rows();
      return {
        schema: DRIFT_SCHEMA,
        model: { ...options.model },
        reference: options.referenceSource,
        rows: { read, used, skipped, otherVersions },
        window: options.window,
        windows: windowResults,
        columns,
        health,
        performance:
          options.binary && overallTally && sample && labelled
            ? buildPerformance(
                overallTally.finish(),
                sample.seen,
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
    },
  };
}
