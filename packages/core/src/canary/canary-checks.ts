import type { RolloutCheck } from "../manifest/schema-rollout.js";
import { rocAuc } from "../metrics/roc-auc.js";
import { aucVariance } from "../stats/auc-variance.js";
import { cuped } from "../stats/cuped.js";
import { quantileSorted } from "../stats/quantile.js";
import {
  type Comparison,
  decide,
  fmt,
  missing,
  pct,
  type SequenceSettings,
  smoothedRate,
} from "./canary-decide.js";
import type { ArmSummary, CanaryCheck } from "./canary-result.js";
import { predictionShiftCheck } from "./prediction-shift.js";

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
  if ("prediction" in check) return predictionShiftCheck(check, candidate, incumbent, settings);
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
