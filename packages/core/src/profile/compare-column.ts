import { nullRateChange } from "../stats/null-rate-change.js";
import { unseenShare } from "../stats/unseen-share.js";
import type { ColumnDrift, CompareColumnOptions, DriftLevel } from "./column-drift.js";
import { compareCategorical } from "./compare-categorical.js";
import { compareNumeric } from "./compare-numeric.js";
import { levelOf, type Scored, unscored } from "./judge-score.js";
import type { CategoricalColumnProfile, ColumnProfile } from "./profile.js";

export type { ColumnDrift, CompareColumnOptions, DriftLevel } from "./column-drift.js";

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
      ...unscored("alert", `the column was ${reference.kind} in the reference and is ${current.kind} now`),
    };
  }

  let scored: Scored;
  if (current.kind === "timestamp" || reference.kind === "timestamp") {
    scored = unscored("ok", "timestamps are not compared for drift");
  } else if (current.count === 0) {
    scored = unscored("no data", "the current data hold no values");
  } else if (reference.count === 0) {
    scored = unscored("no data", "the reference holds no values");
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

function isCategorical(p: ColumnProfile): p is CategoricalColumnProfile {
  return p.kind === "category" || p.kind === "boolean";
}

function percent(x: number | null): string {
  return x === null ? "n/a" : `${Number((x * 100).toPrecision(3))}%`;
}
