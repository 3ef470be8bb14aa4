import { confidenceSequence, dataFactorToDecide } from "../stats/confidence-sequence.js";
import type { CanaryCheck } from "./canary-result.js";

/** How the checks' sequences are tuned and how strict they are. */
export interface SequenceSettings {
  /** Error rate of this one check (the rollout's alpha split across its checks). */
  alpha: number;
  /** Requests of the new version the stage plans for: the mixing variance is the variance expected then. */
  plannedRequests: number;
}

/** The quantity a check decides on: failing above/below `limit`, an estimate and its variance. */
export interface Comparison {
  estimate: number;
  variance: number;
  limit: number;
  /**
   * `above`: the check fails when the quantity exceeds the limit; `below`: when it falls under it;
   * `outside`: when it is beyond ±limit either way (it passes only when the whole sequence is within).
   */
  failWhen: "above" | "below" | "outside";
  /** Requests of the new version the variance was computed from. */
  n: number;
}

/** Turns a comparison into a check: pass / fail on the sequence's side of the limit, else warn with the data still needed. */
export function decide(
  id: string,
  cmp: Comparison,
  s: SequenceSettings,
  shown: { value?: number; limit?: number; describe: string; toValue?: (x: number) => number },
): CanaryCheck {
  const mixing = (cmp.variance * cmp.n) / Math.max(1, s.plannedRequests);
  const cs = confidenceSequence(cmp.estimate, cmp.variance, mixing, s.alpha);
  const good =
    cmp.failWhen === "above"
      ? cs.high <= cmp.limit
      : cmp.failWhen === "below"
        ? cs.low >= cmp.limit
        : cs.low >= -cmp.limit && cs.high <= cmp.limit;
  const bad =
    cmp.failWhen === "above"
      ? cs.low > cmp.limit
      : cmp.failWhen === "below"
        ? cs.high < cmp.limit
        : cs.low > cmp.limit || cs.high < -cmp.limit;
  const toValue = shown.toValue ?? ((x: number) => x);
  const base = {
    id,
    value: shown.value ?? cmp.estimate,
    limit: shown.limit ?? cmp.limit,
    interval: [toValue(cs.low), toValue(cs.high)] as [number, number],
  };
  if (good) return { ...base, status: "pass", reason: `${shown.describe}: holds` };
  if (bad) return { ...base, status: "fail", reason: `${shown.describe}: fails` };
  // Symmetric limits: the nearer of ±limit decides, at the same distance as |estimate| from limit.
  const estimate = cmp.failWhen === "outside" ? Math.abs(cmp.estimate) : cmp.estimate;
  const factor = dataFactorToDecide(estimate, cmp.limit, cmp.variance, mixing, s.alpha);
  const moreRequests = factor === null ? null : Math.ceil(cmp.n * (factor - 1));
  const need =
    moreRequests === null
      ? "no amount of traffic decides at this estimate"
      : `about ${moreRequests} more requests of the new version needed`;
  return { ...base, status: "warn", moreRequests, reason: `${shown.describe}: not yet decided (${need})` };
}

/** A check that cannot be computed yet (no data on one arm): a warning, no value, traffic cannot decide it. */
export function missing(id: string, limit: number, reason: string): CanaryCheck {
  return { id, status: "warn", value: null, limit, reason, moreRequests: null };
}

/** A rate pulled ½ a request toward ½ for its variance, so 0 of n does not claim a variance of 0. */
export function smoothedRate(count: number, n: number): number {
  return (count + 0.5) / (n + 1);
}

/** Number formats of the checks' reasons: 4 significant digits, a percentage, a signed number. */
export const fmt = (x: number): string => String(Number(x.toPrecision(4)));
export const pct = (x: number): string => `${Number((x * 100).toPrecision(3))}%`;
export const signed = (x: number): string => `${x >= 0 ? "+" : ""}${fmt(x)}`;
