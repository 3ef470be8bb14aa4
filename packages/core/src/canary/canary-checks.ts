import type { RolloutCheck } from "../manifest/schema-rollout.js";
import { rocAuc } from "../metrics/roc-auc.js";
import { aucVariance } from "../stats/auc-variance.js";
import { alignCounts } from "../stats/category-counts.js";
import { confidenceSequence, dataFactorToDecide } from "../stats/confidence-sequence.js";
import { cuped } from "../stats/cuped.js";
import { quantileSorted } from "../stats/quantile.js";
import type { ArmSummary, CanaryCheck } from "./canary-result.js";

/** How the checks' sequences are tuned and how strict they are. */
export interface SequenceSettings {
  /** Error rate of this one check (the rollout's alpha split across its checks). */
  alpha: number;
  /** Requests of the new version the stage plans for: the mixing variance is the variance expected then. */
  plannedRequests: number;
}

/** The quantity a check decides on: failing above/below `limit`, an estimate and its variance. */
interface Comparison {
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

/** The share of requests above the p99 line: exactly 1% when the new version's p99 equals it. */
const P99_TAIL = 0.01;

/**
 * One rollout check on the two arms: the measured value, its limit and — from an always-valid
 * confidence sequence (see confidenceSequence) of the compared quantity — `pass` when the whole
 * sequence is on the good side of the limit, `fail` when it is wholly on the bad side, and `warn`
 * (inconclusive, with the requests still needed at the current estimate) otherwise.
 *
 * @example
 * rolloutCheck({ signal: "error-rate", "max-increase": 0.002 }, candidate, incumbent, settings);
 * // { id: "error-rate", status: "pass", value: 0.0004, limit: 0.002, interval: [-0.0011, 0.0019], reason: "…" }
 */
export function rolloutCheck(
  check: RolloutCheck,
  candidate: ArmSummary,
  incumbent: ArmSummary,
  settings: SequenceSettings,
): CanaryCheck {
  if ("prediction" in check) {
    return check.prediction === "score"
      ? scoreShiftCheck(check, candidate, incumbent, settings)
      : classShiftCheck(check, candidate, incumbent, settings);
  }
  if ("signal" in check && check.signal === "latency-p99")
    return latencyCheck(check["max-ratio"]!, candidate, incumbent, settings);
  if ("signal" in check) return errorRateCheck(check["max-increase"]!, candidate, incumbent, settings);
  if ("metric" in check) return aucCheck(check["max-drop"], candidate, incumbent, settings);
  return kpiCheck(check.kpi, check["min-lift"], candidate, incumbent, settings);
}

function latencyCheck(maxRatio: number, c: ArmSummary, i: ArmSummary, s: SequenceSettings): CanaryCheck {
  const id = "latency-p99";
  const incP99 = quantileSorted(i.latencies, 0.99);
  const candP99 = quantileSorted(c.latencies, 0.99);
  if (incP99 === null || candP99 === null || incP99 <= 0) {
    return missing(
      id,
      maxRatio,
      `no latencies logged for ${incP99 === null ? "the incumbent" : "the new version"} yet`,
    );
  }
  // p99(new) ≤ r·p99(incumbent) exactly when at most 1% of the new version's requests are slower
  // than r·p99(incumbent): a rate, whose sequence is the same as for any mean. The incumbent's
  // p99 is taken as known (it serves most requests; its own error is not propagated).
  const line = maxRatio * incP99;
  let above = 0;
  for (const ms of c.latencies) if (ms > line) above++;
  const n = c.latencies.length;
  const rate = smoothedRate(above, n);
  const cmp: Comparison = {
    estimate: above / n,
    variance: (rate * (1 - rate)) / n,
    limit: P99_TAIL,
    failWhen: "above",
    n,
  };
  const ratio = candP99 / incP99;
  return decide(id, cmp, s, {
    value: ratio,
    limit: maxRatio,
    describe: `p99 ${fmt(candP99)} ms vs ${fmt(incP99)} ms (×${fmt(ratio)}; limit ×${maxRatio}); ${pct(above / n)} of new requests above ${fmt(line)} ms`,
  });
}

function errorRateCheck(maxIncrease: number, c: ArmSummary, i: ArmSummary, s: SequenceSettings): CanaryCheck {
  const id = "error-rate";
  if (c.errorRows === 0 || i.errorRows === 0) {
    return missing(
      id,
      maxIncrease,
      `no error flags logged for ${i.errorRows === 0 ? "the incumbent" : "the new version"} yet`,
    );
  }
  const pc = c.errors / c.errorRows;
  const pi = i.errors / i.errorRows;
  const vc = smoothedRate(c.errors, c.errorRows);
  const vi = smoothedRate(i.errors, i.errorRows);
  const variance = (vc * (1 - vc)) / c.errorRows + (vi * (1 - vi)) / i.errorRows;
  return decide(
    id,
    { estimate: pc - pi, variance, limit: maxIncrease, failWhen: "above", n: c.errorRows },
    s,
    {
      describe: `error rate ${pct(pc)} vs ${pct(pi)} (increase ${pct(pc - pi)}; limit ${pct(maxIncrease)})`,
    },
  );
}

function aucCheck(maxDrop: number, c: ArmSummary, i: ArmSummary, s: SequenceSettings): CanaryCheck {
  const id = "roc_auc";
  if (c.outcomes.length === 0 || i.outcomes.length === 0) {
    const only = c.outcomes.length > 0 ? "the new version" : i.outcomes.length > 0 ? "the incumbent" : null;
    return missing(
      id,
      maxDrop,
      only
        ? `outcomes have arrived for ${only} only: nothing to compare yet`
        : "no outcomes have arrived yet",
    );
  }
  const ac = rocAuc(c.outcomes, c.scores);
  const ai = rocAuc(i.outcomes, i.scores);
  if (ac.value === null || ai.value === null) {
    return missing(
      id,
      maxDrop,
      `roc_auc is undefined for ${ac.value === null ? "the new version" : "the incumbent"}: ${(ac.value === null ? ac : ai).reason}`,
    );
  }
  const pos = (o: Uint8Array) => o.reduce((sum, v) => sum + v, 0);
  const variance =
    aucVariance(ac.value, pos(c.outcomes), c.outcomes.length - pos(c.outcomes)) +
    aucVariance(ai.value, pos(i.outcomes), i.outcomes.length - pos(i.outcomes));
  return decide(
    id,
    { estimate: ai.value - ac.value, variance, limit: maxDrop, failWhen: "above", n: c.outcomes.length },
    s,
    {
      describe: `roc_auc ${fmt(ac.value)} vs ${fmt(ai.value)} on ${c.outcomes.length} + ${i.outcomes.length} labelled requests (drop ${fmt(ai.value - ac.value)}; limit ${maxDrop})`,
    },
  );
}

function kpiCheck(
  kpi: string,
  minLift: number,
  c: ArmSummary,
  i: ArmSummary,
  s: SequenceSettings,
): CanaryCheck {
  const id = `kpi:${kpi}`;
  const mc = c.kpis[kpi];
  const mi = i.kpis[kpi];
  if (!mc || !mi || mc.n < 2 || mi.n < 2) {
    return missing(
      id,
      minLift,
      `fewer than two values of ${kpi} logged for ${!mc || mc.n < 2 ? "the new version" : "the incumbent"}`,
    );
  }
  const [adjC, adjI] = cuped([mc, mi]) as [
    ReturnType<typeof cuped>[number],
    ReturnType<typeof cuped>[number],
  ];
  if (adjI.mean === 0)
    return missing(id, minLift, `the incumbent's mean ${kpi} is 0: a relative lift is undefined`);
  // new − (1 + L)·incumbent ≥ 0 ⇔ relative lift ≥ L (for a positive incumbent mean).
  const scale = 1 + minLift;
  const estimate = adjC.mean - scale * adjI.mean;
  const variance = adjC.unitVariance / adjC.n + (scale * scale * adjI.unitVariance) / adjI.n;
  const lift = adjC.mean / adjI.mean - 1;
  const cuped_ = mc.sumX2 > 0 ? " (CUPED-adjusted)" : "";
  return decide(id, { estimate, variance, limit: 0, failWhen: "below", n: adjC.n }, s, {
    value: lift,
    limit: minLift,
    toValue: (x) => x / Math.abs(adjI.mean) + minLift,
    describe: `mean ${kpi} ${fmt(adjC.mean)} vs ${fmt(adjI.mean)}${cuped_}: lift ${pct(lift)} (limit ${pct(minLift)})`,
  });
}

type PredictionCheck = Extract<RolloutCheck, { prediction: unknown }>;

/** What a failed prediction check does, for its reason. */
const ON_FAIL = {
  hold: "holding (on-fail: hold): if the new model is meant to predict differently, raise max-shift; otherwise roll back",
  rollback: "rolling back (on-fail: rollback)",
} as const;

function scoreShiftCheck(
  check: PredictionCheck,
  c: ArmSummary,
  i: ArmSummary,
  s: SequenceSettings,
): CanaryCheck {
  const id = "prediction:score";
  const limit = check["max-shift"];
  if (c.served.n < 2 || i.served.n < 2) {
    return missing(
      id,
      limit,
      `fewer than two scores logged for ${c.served.n < 2 ? "the new version" : "the incumbent"}`,
    );
  }
  // The plain means and unit variances (no covariate: cuped's θ is 0).
  const [mc, mi] = cuped([c.served, i.served]) as [
    ReturnType<typeof cuped>[number],
    ReturnType<typeof cuped>[number],
  ];
  const estimate = mc.mean - mi.mean;
  const variance = mc.unitVariance / mc.n + mi.unitVariance / mi.n;
  const checked = decide(id, { estimate, variance, limit, failWhen: "outside", n: mc.n }, s, {
    describe: `mean score ${fmt(mc.mean)} vs ${fmt(mi.mean)} on ${mc.n} + ${mi.n} requests (shift ${signed(estimate)}; limit ±${limit})`,
  });
  return withOnFail(checked, check["on-fail"]);
}

function classShiftCheck(
  check: PredictionCheck,
  c: ArmSummary,
  i: ArmSummary,
  s: SequenceSettings,
): CanaryCheck {
  const id = "prediction:class";
  const limit = check["max-shift"];
  const aligned = alignCounts(c.classes, i.classes);
  const nc = aligned.left.reduce((a, b) => a + b, 0);
  const ni = aligned.right.reduce((a, b) => a + b, 0);
  if (nc === 0 || ni === 0)
    return missing(
      id,
      limit,
      `no served classes logged for ${nc === 0 ? "the new version" : "the incumbent"}`,
    );
  // Two classes' shares move together: one test. More: one per class, the error rate split (Bonferroni).
  const tested = aligned.keys.length === 2 ? [1] : aligned.keys.map((_, k) => k);
  const settings = { ...s, alpha: s.alpha / tested.length };
  const perClass = tested.map((k) => {
    const pc = aligned.left[k]! / nc;
    const pi = aligned.right[k]! / ni;
    const vc = smoothedRate(aligned.left[k]!, nc);
    const vi = smoothedRate(aligned.right[k]!, ni);
    const variance = (vc * (1 - vc)) / nc + (vi * (1 - vi)) / ni;
    const label = aligned.keys[k]!;
    return decide(
      `${id}:${label}`,
      { estimate: pc - pi, variance, limit, failWhen: "outside", n: nc },
      settings,
      {
        describe: `${label} ${pct(pc)} vs ${pct(pi)} (shift ${signed(100 * (pc - pi))} pts)`,
      },
    );
  });
  const failing = perClass.filter((x) => x.status === "fail");
  const worst = [...(failing.length > 0 ? failing : perClass)].sort(
    (a, b) => Math.abs(b.value ?? 0) - Math.abs(a.value ?? 0),
  )[0]!;
  const status = perClass.some((x) => x.status === "fail")
    ? "fail"
    : perClass.every((x) => x.status === "pass")
      ? "pass"
      : "warn";
  const shown = [...perClass]
    .sort((a, b) => Math.abs(b.value ?? 0) - Math.abs(a.value ?? 0))
    .slice(0, 3)
    .map((x) => x.reason.replace(/: (holds|fails|not yet decided.*)$/, ""));
  const verdictText =
    status === "pass" ? "holds" : status === "fail" ? "fails" : `not yet decided (${needText(perClass)})`;
  const open = perClass.filter((x) => x.status === "warn");
  const moreRequests = open.some((x) => x.moreRequests === null || x.moreRequests === undefined)
    ? null
    : Math.max(0, ...open.map((x) => x.moreRequests ?? 0));
  const checked: CanaryCheck = {
    id,
    status,
    value: worst.value,
    limit,
    ...(worst.interval ? { interval: worst.interval } : {}),
    reason: `class shares on ${nc} + ${ni} requests, largest shifts: ${shown.join(", ")} (limit ±${100 * limit} pts): ${verdictText}`,
    ...(status === "warn" ? { moreRequests } : {}),
  };
  return withOnFail(checked, check["on-fail"]);
}

function needText(checks: readonly CanaryCheck[]): string {
  const open = checks.filter((x) => x.status === "warn");
  if (open.some((x) => x.moreRequests === null || x.moreRequests === undefined))
    return "no amount of traffic decides at this estimate";
  return `about ${Math.max(0, ...open.map((x) => x.moreRequests ?? 0))} more requests of the new version needed`;
}

/** A failed prediction check says what the rollout does about it. */
function withOnFail(check: CanaryCheck, onFail: "hold" | "rollback"): CanaryCheck {
  const out: CanaryCheck = { ...check, onFail };
  if (check.status === "fail") out.reason = `${check.reason}: ${ON_FAIL[onFail]}`;
  return out;
}

/** Turns a comparison into a check: pass / fail on the sequence's side of the limit, else warn with the data still needed. */
function decide(
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

function missing(id: string, limit: number, reason: string): CanaryCheck {
  return { id, status: "warn", value: null, limit, reason, moreRequests: null };
}

/** A rate pulled ½ a request toward ½ for its variance, so 0 of n does not claim a variance of 0. */
function smoothedRate(count: number, n: number): number {
  return (count + 0.5) / (n + 1);
}

const fmt = (x: number): string => String(Number(x.toPrecision(4)));
const pct = (x: number): string => `${Number((x * 100).toPrecision(3))}%`;
const signed = (x: number): string => `${x >= 0 ? "+" : ""}${fmt(x)}`;
