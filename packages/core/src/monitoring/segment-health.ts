import { compareProfiles, driftIndex, worstFirst } from "../drift/compare-profiles.js";
import { levelRank, worstLevel } from "../drift/drift-level.js";
import { type ColumnDrift, compareColumn, type DriftLevel } from "../profile/compare-column.js";
import type { Profile } from "../profile/profile.js";
import type { Check } from "../results/check.js";
import { finishKpis, type KpiHealth } from "./kpi-checks.js";
import type { SegmentCounts, SegmentMonitorState } from "./layer-states.js";
import { finishOperations, type OperationalHealth } from "./operational-health.js";
import type { PredictionAlerts } from "./prediction-alerts.js";
import { finishPrediction } from "./prediction-checks.js";
import type { SegmentMonitorOptions } from "./segment-monitor.js";
import { signalNumber } from "./signal-format.js";

/** One window's realised accuracy of a segment, and its gap to the slice's whole population. */
export interface SegmentGapWindow {
  start: string;
  labelled: number;
  accuracy: number | null;
  /** Segment accuracy minus the accuracy of every segment of the slice together in the window. */
  gap: number | null;
}

/** One segment (`region=AE`) with every layer's statistics. */
export interface SegmentResult {
  slice: string;
  value: string;
  rows: number;
  level: DriftLevel;
  owner: string | null;
  /** Columns in the segment's worst window against its first window, worst first (compared when at least two windows). */
  drift: ColumnDrift[];
  /** Largest score / alert limit of `drift`. */
  driftIndex: number | null;
  operations?: OperationalHealth;
  prediction?: PredictionAlerts;
  kpis?: KpiHealth;
  /** Binary classifiers with outcomes: realised accuracy per window and the gap to the slice. */
  gaps: SegmentGapWindow[];
  /** One line: what alerts in the segment, or why it cannot alert. */
  reason: string;
}

/** `drift.json`'s `segments`: every statistic per segment, worst segments first. */
export interface SegmentHealth {
  slices: string[];
  /** Slices the logs do not have. */
  missing: string[];
  segments: SegmentResult[];
  checks: Check[];
  level: DriftLevel;
}

/**
 * Judges every segment from its counts — one run's, or the merged shards' — as
 * {@link createSegmentMonitor} describes.
 *
 * @example
 * finishSegmentStates(mergeLayerStates(parts).segments!, options).segments[0].level; // "alert"
 */
export function finishSegmentStates(
  state: SegmentMonitorState,
  options: SegmentMonitorOptions,
): SegmentHealth {
  const states = state.segments;
  const seen = new Set(state.seen);
  // The slice's whole population per window, for the accuracy gaps.
  const totals = new Map<string, { labelled: number; correct: number }>();
  for (const s of states) {
    for (const { start, ...t } of s.accuracy) {
      const key = `${s.slice}@${start}`;
      const total = totals.get(key) ?? { labelled: 0, correct: 0 };
      total.labelled += t.labelled;
      total.correct += t.correct;
      totals.set(key, total);
    }
  }
  // Bonferroni over every comparison a segment makes (later windows × columns), so that among
  // dozens of small segments noise does not alert: a segment's drift must also be significant.
  const comparisons = states.reduce(
    (n, s) => n + Math.max(0, s.windows.length - 1) * options.columns.length,
    0,
  );
  const alpha = 0.05 / Math.max(1, comparisons);
  const segments = states.map((s) => finishSegment(s, options, totals, alpha));
  segments.sort(
    (a, b) =>
      levelRank(b.level) - levelRank(a.level) ||
      (b.driftIndex ?? -1) - (a.driftIndex ?? -1) ||
      b.rows - a.rows,
  );
  const checks: Check[] = segments.map((s) => ({
    id: "segment",
    column: `${s.slice}=${s.value}`,
    status: s.level === "alert" ? "fail" : s.level === "warn" ? "warn" : s.level === "ok" ? "pass" : "skip",
    value: s.rows,
    limit: options.minRows,
    reason: s.reason,
  }));
  return {
    slices: [...options.slices],
    missing: options.slices.filter((s) => !seen.has(s)),
    segments,
    checks,
    level: segments.length === 0 ? "no data" : worstLevel(segments.map((s) => s.level)),
  };
}

function finishSegment(
  s: SegmentCounts,
  options: SegmentMonitorOptions,
  totals: Map<string, { labelled: number; correct: number }>,
  alpha: number,
): SegmentResult {
  const name = `${s.slice}=${s.value}`;
  const ordered = s.windows;
  const base = ordered[0];
  let drift: ColumnDrift[] = [];
  let index: number | null = null;
  for (const w of ordered.slice(1)) {
    const compared = compareProfiles(base!.profile, w.profile, {
      columns: options.columns,
      method: options.method ?? "auto",
      warn: options.warn,
      alert: options.alert,
    }).map((c) => significantOnly(c, base!.profile, w.profile, alpha));
    const worst = Math.max(-1, ...compared.map((c) => driftIndex(c) ?? -1));
    if (index === null || worst > index) {
      index = worst < 0 ? null : worst;
      drift = compared.sort(worstFirst);
    }
  }
  const operations =
    s.layers.operations && options.operations
      ? finishOperations(s.layers.operations, options.operations.settings)
      : undefined;
  const prediction =
    s.layers.prediction && options.prediction
      ? finishPrediction(s.layers.prediction, {
          ...options.prediction.settings,
          performance: null,
          segment: true,
        })
      : undefined;
  const kpis =
    s.layers.kpis && options.kpis
      ? finishKpis(s.layers.kpis, { window: options.window, kpis: options.kpis.limits })
      : undefined;
  const gaps: SegmentGapWindow[] = s.accuracy.map(({ start, ...t }) => {
    const total = totals.get(`${s.slice}@${start}`)!;
    const accuracy = t.labelled > 0 ? t.correct / t.labelled : null;
    const overall = total.labelled > 0 ? total.correct / total.labelled : null;
    return {
      start: new Date(start).toISOString(),
      labelled: t.labelled,
      accuracy,
      gap: accuracy === null || overall === null ? null : accuracy - overall,
    };
  });
  const driftLevel = worstLevel(drift.map((c) => c.level));
  const layers = [operations, prediction, kpis].filter((l) => l !== undefined);
  const failing = [
    ...drift
      .filter((c) => c.level === "alert")
      .map((c) => `drift ${c.column} (${c.reason}; against the segment's first window)`),
    ...layers.flatMap((l) => l.checks.filter((c) => c.status === "fail").map((c) => c.reason)),
  ];
  const small = s.rows < options.minRows;
  const level: DriftLevel = small ? "no data" : worstLevel([driftLevel, ...layers.map((l) => l.level)]);
  const reason = small
    ? `${name}: ${s.rows} rows, fewer than ${options.minRows}: reported, never alerts`
    : failing.length > 0
      ? `${name}: ${failing.join("; ")}`
      : `${name}: ${level}${index === null ? "" : `, drift index ${signalNumber(index)}${index >= 1 && driftLevel === "ok" ? " (not significant)" : ""}`} over ${s.rows} rows`;
  return {
    slice: s.slice,
    value: s.value,
    rows: s.rows,
    level,
    owner: options.owners?.[name] ?? null,
    drift,
    driftIndex: index,
    ...(operations ? { operations } : {}),
    ...(prediction ? { prediction } : {}),
    ...(kpis ? { kpis } : {}),
    gaps,
    reason,
  };
}

/**
 * A segment column's drift, kept at `warn`/`alert` only when a test of the two windows (KS for
 * numbers, chi-square for categories) rejects at `alpha`; otherwise `ok`, saying why.
 */
function significantOnly(drift: ColumnDrift, base: Profile, current: Profile, alpha: number): ColumnDrift {
  if (drift.level !== "alert" && drift.level !== "warn") return drift;
  const ref = base.columns[drift.column];
  const cur = current.columns[drift.column];
  if (!ref || !cur) return drift;
  const test = compareColumn(ref, cur, {
    column: drift.column,
    method: drift.kind === "number" ? "ks" : "chi-square",
  });
  if (test.pValue !== null && test.pValue < alpha) return drift;
  const p = test.pValue === null ? "no test" : `p = ${test.pValue.toPrecision(2)} ≥ ${alpha.toPrecision(2)}`;
  return {
    ...drift,
    level: "ok",
    reason: `${drift.reason}, but not significant in this segment (${test.method}: ${p}, Bonferroni over the segments' comparisons)`,
  };
}
