import { alignCounts } from "../stats/category-counts.js";
import { chiSquareTest } from "../stats/chi-square-test.js";
import { jensenShannonDistance } from "../stats/jensen-shannon-distance.js";
import { ksTestFromCounts } from "../stats/ks-test-from-counts.js";
import type { Measurement } from "../stats/measurement.js";
import { normalizedWassersteinDistance } from "../stats/normalized-wasserstein-distance.js";
import { nullRateChange } from "../stats/null-rate-change.js";
import { psi } from "../stats/psi.js";
import { unseenShare } from "../stats/unseen-share.js";
import type { ColumnKind } from "../table/column.js";
import { countsFromSketch } from "./bins.js";
import {
  DEFAULT_THRESHOLDS,
  type DriftMethod,
  type DriftThresholds,
  deriveThresholds,
} from "./drift-thresholds.js";
import { type KllSketch, kllMerge, kllWeighted } from "./kll-sketch.js";
import type { CategoricalColumnProfile, ColumnProfile, NumericColumnProfile } from "./profile.js";

/** How worrying a column's drift is. `no data`: the current data hold no values to compare. */
export type DriftLevel = "ok" | "warn" | "alert" | "no data";

/** Options of {@link compareColumn}. */
export interface CompareColumnOptions {
  /** Column name, echoed in the result. */
  column?: string;
  /** Drift score (default `auto`: see {@link compareColumn}). */
  method?: "auto" | DriftMethod;
  /** Limits on the score; when absent they are derived from the reference's chunks. */
  warn?: number;
  alert?: number;
  /** Limits on the absolute change of the null rate (default 0.05 / 0.10). */
  nullRate?: { warn: number; alert: number };
  /** Limits on the share of current rows with categories unseen in the reference (default 0.01 / 0.05). */
  unseen?: { warn: number; alert: number };
}

/** One column's drift between a reference and a current profile. */
export interface ColumnDrift {
  column: string;
  kind: ColumnKind;
  /** The score used, `null` for timestamps (not compared) or when there was nothing to compare. */
  method: DriftMethod | null;
  /** The effect size that decides the level (`null` when undefined; `reason` says why). */
  score: number | null;
  /** A test's p-value for the same comparison, reported only: at millions of rows it flags everything. */
  pValue: number | null;
  level: DriftLevel;
  /** One human-readable line. */
  reason: string;
  details: {
    thresholds: DriftThresholds | null;
    values: { reference: number; current: number };
    nullRate: { reference: number | null; current: number | null; change: number | null; level: DriftLevel };
    unseenShare?: { value: number | null; level: DriftLevel };
  };
}

const DEFAULT_NULL_LIMITS = { warn: 0.05, alert: 0.1 };
const DEFAULT_UNSEEN_LIMITS = { warn: 0.01, alert: 0.05 };

/**
 * Compare one column of a current profile with the same column of the reference profile.
 *
 * Method `auto`: numbers use the Wasserstein distance in reference standard deviations (a shift
 * of k SDs scores k; it sees changes of shape and location at any sample size), or PSI on the
 * reference's bins when the reference is constant (its standard deviation is 0); categories and
 * booleans use the Jensen–Shannon distance (bounded, defined when a category is missing on one
 * side). A method that does not apply to categories (`ks`, `wasserstein`) falls back to
 * Jensen–Shannon and says so. Every method is computed from the profiles alone: bins on the
 * reference's edges (exact when the current profile was built with the reference), sketches for
 * KS and Wasserstein.
 *
 * The level is decided by effect sizes only: the score against `warn`/`alert` (given, or derived
 * from the reference's chunks with `deriveThresholds`, or the defaults), the absolute change of
 * the null rate, and for categories the share of current rows whose value the reference never had.
 * The worst of the three wins. p-values (KS, chi-square) are reported but never decide.
 *
 * Degenerate cases: no current rows, or no current values while the null rate is unremarkable,
 * give `no data`; a kind that changed between reference and current is an `alert`; timestamps are
 * not scored (time moves by design), only their null rate.
 *
 * https://en.wikipedia.org/wiki/Concept_drift
 *
 * @example
 * compareColumn(reference.columns.age!, current.columns.age!, { column: "age" });
 * // { column: "age", kind: "number", method: "wasserstein", score: 0.51, pValue: null, level: "alert",
 * //   reason: "wasserstein 0.51 ≥ alert 0.2 (reference standard deviations)", details: {...} }
 */
export function compareColumn(
  reference: ColumnProfile,
  current: ColumnProfile,
  options: CompareColumnOptions = {},
): ColumnDrift {
  const column = options.column ?? "";
  const refNullRate = reference.rows > 0 ? reference.nulls / reference.rows : null;
  const curNullRate = current.rows > 0 ? current.nulls / current.rows : null;
  const change = nullRateChange(refNullRate, curNullRate);
  const nullLimits = options.nullRate ?? DEFAULT_NULL_LIMITS;
  const nullLevel = change.value === null ? "no data" : levelOf(Math.abs(change.value), nullLimits);
  const details: ColumnDrift["details"] = {
    thresholds: null,
    values: { reference: reference.count, current: current.count },
    nullRate: { reference: refNullRate, current: curNullRate, change: change.value, level: nullLevel },
  };
  const base = { column, kind: current.kind, details };

  if (reference.kind !== current.kind && !(isCategorical(reference) && isCategorical(current))) {
    return {
      ...base,
      method: null,
      score: null,
      pValue: null,
      level: "alert",
      reason: `the column was ${reference.kind} in the reference and is ${current.kind} now`,
    };
  }

  let scored: Scored;
  if (current.kind === "timestamp" || reference.kind === "timestamp") {
    scored = {
      method: null,
      score: null,
      pValue: null,
      level: "ok",
      reason: "timestamps are not compared for drift",
    };
  } else if (current.count === 0) {
    scored = {
      method: null,
      score: null,
      pValue: null,
      level: "no data",
      reason: "the current data hold no values",
    };
  } else if (reference.count === 0) {
    scored = {
      method: null,
      score: null,
      pValue: null,
      level: "no data",
      reason: "the reference holds no values",
    };
  } else if (reference.kind === "number" && current.kind === "number") {
    scored = compareNumeric(reference, current, options, details);
  } else {
    const ref = reference as CategoricalColumnProfile;
    const cur = current as CategoricalColumnProfile;
    scored = compareCategorical(ref, cur, options, details);
    const unseen = unseenShare(Object.keys(ref.counts), cur.counts);
    const limits = options.unseen ?? DEFAULT_UNSEEN_LIMITS;
    details.unseenShare = {
      value: unseen.value,
      level: unseen.value === null ? "no data" : levelOf(unseen.value, limits),
    };
  }

  // The worst of distribution, null rate and unseen share decides; its reason is reported.
  const parts: { level: DriftLevel; reason: string }[] = [scored];
  if (change.value !== null) {
    parts.push({
      level: nullLevel,
      reason: `null rate ${percent(refNullRate)} → ${percent(curNullRate)} (limits ±${percent(nullLimits.warn)} / ±${percent(nullLimits.alert)})`,
    });
  }
  if (details.unseenShare && details.unseenShare.value !== null) {
    const limits = options.unseen ?? DEFAULT_UNSEEN_LIMITS;
    parts.push({
      level: details.unseenShare.level,
      reason: `${percent(details.unseenShare.value)} of current values are categories unseen in the reference (limits ${percent(limits.warn)} / ${percent(limits.alert)})`,
    });
  }
  const rank = (l: DriftLevel): number => (l === "alert" ? 3 : l === "warn" ? 2 : 0);
  let decisive = parts[0]!;
  for (const p of parts) if (rank(p.level) > rank(decisive.level)) decisive = p;
  return {
    ...base,
    method: scored.method,
    score: scored.score,
    pValue: scored.pValue,
    level: decisive.level,
    reason: decisive.reason,
  };
}

interface Scored {
  method: DriftMethod | null;
  score: number | null;
  pValue: number | null;
  level: DriftLevel;
  reason: string;
}

interface Score {
  value: number | null;
  pValue: number | null;
  reason?: string;
}

function compareNumeric(
  ref: NumericColumnProfile,
  cur: NumericColumnProfile,
  options: CompareColumnOptions,
  details: ColumnDrift["details"],
): Scored {
  const constant = ref.std === 0;
  const requested = options.method ?? "auto";
  const method: DriftMethod = requested === "auto" ? (constant ? "psi" : "wasserstein") : requested;
  const edges = ref.bins.edges;
  const sameEdges = cur.bins.edges.length === edges.length && cur.bins.edges.every((e, i) => e === edges[i]);
  const curCounts = sameEdges ? cur.bins.counts : countsFromSketch(cur.sketch, edges);
  const score = scoreNumeric(
    method,
    { sketch: ref.sketch, counts: ref.bins.counts },
    { sketch: cur.sketch, counts: curCounts },
    ref.std ?? 0,
  );
  const chunkScores = chunkVsRest(ref.chunks, (chunk, rest) =>
    scoreNumeric(
      method,
      { sketch: rest, counts: countsFromSketch(rest, edges) },
      { sketch: chunk, counts: countsFromSketch(chunk, edges) },
      ref.std ?? 0,
    ),
  );
  const chunkSize = ref.chunks.length > 0 ? ref.count / ref.chunks.length : 0;
  const thresholds = thresholdsFor(method, options, chunkScores, chunkSize, ref.count, cur.count);
  details.thresholds = thresholds;
  if (score.value === null) {
    const same = ref.min === cur.min && ref.max === cur.max;
    return {
      method,
      score: null,
      pValue: score.pValue,
      level: constant && !same ? "alert" : "no data",
      reason:
        constant && !same
          ? `the reference is constant at ${ref.min} and the current values differ`
          : (score.reason ?? ""),
    };
  }
  return judged(method, score, thresholds);
}

function compareCategorical(
  ref: CategoricalColumnProfile,
  cur: CategoricalColumnProfile,
  options: CompareColumnOptions,
  details: ColumnDrift["details"],
): Scored {
  const requested = options.method ?? "auto";
  const method: DriftMethod =
    requested === "auto" || requested === "ks" || requested === "wasserstein" ? "jensen-shannon" : requested;
  const score = scoreCategorical(method, ref, cur);
  const chunkScores = chunkVsRestCounts(ref.chunks, (chunk, rest) => scoreCategorical(method, rest, chunk));
  const chunkSize = ref.chunks.length > 0 ? ref.count / ref.chunks.length : 0;
  const thresholds = thresholdsFor(method, options, chunkScores, chunkSize, ref.count, cur.count);
  details.thresholds = thresholds;
  const result = judged(method, score, thresholds);
  if (requested !== "auto" && requested !== method) {
    result.reason = `${requested} does not apply to categories, used ${method}: ${result.reason}`;
  }
  return result;
}

function scoreNumeric(
  method: DriftMethod,
  ref: { sketch: KllSketch; counts: number[] },
  cur: { sketch: KllSketch; counts: number[] },
  std: number,
): Score {
  switch (method) {
    case "psi":
      return fromMeasurement(psi(ref.counts, cur.counts));
    case "jensen-shannon":
      return fromMeasurement(jensenShannonDistance(ref.counts, cur.counts));
    case "chi-square": {
      const t = chiSquareTest(ref.counts, cur.counts);
      return t.statistic === null
        ? { value: null, pValue: null, reason: t.reason }
        : { value: t.cramersV, pValue: t.pValue };
    }
    case "ks": {
      const t = ksTestFromCounts(kllWeighted(ref.sketch), kllWeighted(cur.sketch), {
        sizes: [ref.sketch.n, cur.sketch.n],
      });
      return t.statistic === null
        ? { value: null, pValue: null, reason: t.reason }
        : { value: t.statistic, pValue: t.pValue };
    }
    case "wasserstein": {
      const r = kllWeighted(ref.sketch);
      const c = kllWeighted(cur.sketch);
      return fromMeasurement(
        normalizedWassersteinDistance(r.values, c.values, {
          uWeights: r.weights,
          vWeights: c.weights,
          scale: std,
        }),
      );
    }
  }
}

interface CountTable {
  counts: Readonly<Record<string, number>>;
  other: number;
}

function scoreCategorical(method: DriftMethod, ref: CountTable, cur: CountTable): Score {
  const aligned = alignCounts(ref.counts, cur.counts);
  // Values beyond either side's cap form one extra category.
  const r = [...aligned.left, ref.other];
  const c = [...aligned.right, cur.other];
  if (method === "psi") return fromMeasurement(psi(r, c));
  if (method === "chi-square") {
    const t = chiSquareTest(r, c);
    return t.statistic === null
      ? { value: null, pValue: null, reason: t.reason }
      : { value: t.cramersV, pValue: t.pValue };
  }
  return fromMeasurement(jensenShannonDistance(r, c));
}

function chunkVsRest(chunks: KllSketch[], score: (chunk: KllSketch, rest: KllSketch) => Score): number[] {
  const used = chunks.filter((c) => c.n > 0);
  const out: number[] = [];
  for (let i = 0; i < used.length && used.length >= 2; i++) {
    let rest: KllSketch | null = null;
    for (let j = 0; j < used.length; j++) if (j !== i) rest = rest ? kllMerge(rest, used[j]!) : used[j]!;
    const s = score(used[i]!, rest!);
    if (s.value !== null) out.push(s.value);
  }
  return out;
}

function chunkVsRestCounts(
  chunks: CountTable[],
  score: (chunk: CountTable, rest: CountTable) => Score,
): number[] {
  const used = chunks.filter((c) => c.other + Object.values(c.counts).reduce((s, v) => s + v, 0) > 0);
  const out: number[] = [];
  for (let i = 0; i < used.length && used.length >= 2; i++) {
    const counts: Record<string, number> = Object.create(null);
    let other = 0;
    for (let j = 0; j < used.length; j++) {
      if (j === i) continue;
      for (const [k, v] of Object.entries(used[j]!.counts)) counts[k] = (counts[k] ?? 0) + v;
      other += used[j]!.other;
    }
    const s = score(used[i]!, { counts, other });
    if (s.value !== null) out.push(s.value);
  }
  return out;
}

function thresholdsFor(
  method: DriftMethod,
  options: CompareColumnOptions,
  chunkScores: number[],
  chunkSize: number,
  referenceCount: number,
  currentCount: number,
): DriftThresholds {
  const derived =
    chunkSize > 0 && referenceCount > chunkSize
      ? deriveThresholds(method, chunkScores, {
          chunk: chunkSize,
          rest: referenceCount - chunkSize,
          current: currentCount,
          reference: referenceCount,
        })
      : null;
  const fallback = derived ?? { ...DEFAULT_THRESHOLDS[method], source: "default" as const };
  if (options.warn === undefined && options.alert === undefined) return fallback;
  return { warn: options.warn ?? fallback.warn, alert: options.alert ?? fallback.alert, source: "options" };
}

function judged(method: DriftMethod, score: Score, thresholds: DriftThresholds): Scored {
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

function levelOf(value: number, limits: { warn: number; alert: number }): DriftLevel {
  if (value >= limits.alert) return "alert";
  if (value >= limits.warn) return "warn";
  return "ok";
}

function fromMeasurement(m: Measurement): Score {
  return m.value === null
    ? { value: null, pValue: null, reason: m.reason }
    : { value: m.value, pValue: null };
}

function isCategorical(p: ColumnProfile): p is CategoricalColumnProfile {
  return p.kind === "category" || p.kind === "boolean";
}

function round(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

function percent(x: number | null): string {
  return x === null ? "n/a" : `${Number((x * 100).toPrecision(3))}%`;
}
