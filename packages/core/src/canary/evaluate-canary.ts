import { parseDuration } from "../manifest/duration.js";
import type { Rollout } from "../manifest/schema-rollout.js";
import { sequentialSrm } from "../stats/sequential-srm.js";
import { rolloutCheck } from "./canary-checks.js";
import type {
  ArmPredictions,
  CanaryCheck,
  CanaryObservation,
  CanaryResult,
  CanaryStatus,
  CanaryVerdict,
} from "./canary-result.js";

/** What {@link evaluateCanary} decides from. */
export interface CanaryInput {
  model: string;
  rollout: Rollout;
  /** Index in `rollout.stages` of the stage the new version is at. */
  stageIndex: number;
  observation: CanaryObservation;
}

/** Planned requests when a stage sets no `min-requests`: the sequences are tightest around it. */
const DEFAULT_PLANNED_REQUESTS = 1000;

/**
 * One look at a canary: the sample-ratio test, the evidence the stage asks for and every
 * rollout check, then the verdict — `rollback` when a check fails with enough evidence,
 * `expand` when every check passes and the stage's minimum requests and duration are met,
 * otherwise `hold`, saying what a decision still needs. A sample-ratio mismatch always holds
 * (the arms' numbers cannot be trusted, so neither expanding nor rolling back on them is safe).
 * The decisions' error rate is `rollout.alpha`, split evenly (Bonferroni) across the checks, and
 * holds however often the check runs because every interval is an always-valid sequence.
 *
 * @example
 * evaluateCanary({ model: "churn", rollout, stageIndex: 0, observation }).verdict; // "hold"
 */
export function evaluateCanary(input: CanaryInput): CanaryResult {
  const { rollout, stageIndex, observation: obs } = input;
  const stage = rollout.stages[stageIndex]!;
  const next = rollout.stages[stageIndex + 1];
  const { candidate, incumbent } = obs;
  const result: CanaryResult = {
    schema: "gauntlet/canary@1",
    model: input.model,
    candidate: { version: candidate.version, requests: candidate.requests },
    incumbent: { version: incumbent.version, requests: incumbent.requests },
    stage: { name: stage.stage, traffic: stage.traffic, start: obs.stageStart },
    next: next ? { name: next.stage, traffic: next.traffic } : null,
    verdict: "hold",
    status: "warn",
    reasons: [],
    needs: null,
    alpha: rollout.alpha,
    checks: [],
    windows: obs.windows,
  };
  if (!next) {
    result.verdict = "complete";
    result.status = "pass";
    result.reasons = [`${candidate.version} serves ${stage.stage}: the rollout is complete`];
    return result;
  }
  const alpha = rollout.alpha / Math.max(1, rollout.checks.length);
  const settings = { alpha, plannedRequests: stage["min-requests"] ?? DEFAULT_PLANNED_REQUESTS };
  const srm = srmCheck(input);
  const evidence = evidenceChecks(input);
  const checks = rollout.checks.map((c) => rolloutCheck(c, candidate, incumbent, settings));
  const versions = versionCheck(obs);
  result.checks = [srm, ...versions, ...evidence, ...checks];
  const predictions = armPredictions(obs);
  if (predictions) result.predictions = predictions;
  const verdict = decideVerdict(srm, evidence, [...versions, ...checks]);
  result.verdict = verdict.verdict;
  result.status = verdict.status;
  result.reasons = verdict.reasons;
  if (result.verdict === "hold" && srm.status !== "fail")
    result.needs = needs(input, [...evidence, ...checks]);
  return result;
}

function decideVerdict(
  srm: CanaryCheck,
  evidence: CanaryCheck[],
  checks: CanaryCheck[],
): { verdict: CanaryVerdict; status: CanaryStatus; reasons: string[] } {
  if (srm.status === "fail") {
    return {
      verdict: "hold",
      status: "fail",
      reasons: [`${srm.reason}: holding — never expanding on traffic that was not split as configured`],
    };
  }
  const failed = checks.filter((c) => c.status === "fail");
  const rollback = failed.filter((c) => c.onFail !== "hold");
  if (rollback.length > 0)
    return { verdict: "rollback", status: "fail", reasons: rollback.map((c) => c.reason) };
  // Unknown versions, or a prediction shift set to hold: nothing moves, and the step fails
  // (status fail) so a person looks — waiting would not resolve either.
  if (failed.length > 0) return { verdict: "hold", status: "fail", reasons: failed.map((c) => c.reason) };
  const waiting = [...evidence, ...checks].filter((c) => c.status !== "pass");
  if (waiting.length === 0)
    return { verdict: "expand", status: "pass", reasons: ["every check holds with enough evidence"] };
  return { verdict: "hold", status: "warn", reasons: waiting.map((c) => c.reason) };
}

function srmCheck({ rollout, stageIndex, observation }: CanaryInput): CanaryCheck {
  const stage = rollout.stages[stageIndex]!;
  const c = observation.candidate.requests;
  const total = c + observation.incumbent.requests;
  const test = sequentialSrm(c, total, stage.traffic, rollout["srm-alpha"]);
  const observed = test.observed === null ? "no requests" : `${pct(test.observed)} of ${total} requests`;
  const base = { id: "sample-ratio", value: test.observed, limit: stage.traffic };
  if (test.mismatch) {
    return {
      ...base,
      status: "fail",
      reason: `sample-ratio mismatch: the new version served ${observed}, configured ${pct(stage.traffic)} (always-valid p = ${fmtP(test.pValue)}; check the router reads ${stage.stage}'s share)`,
    };
  }
  return {
    ...base,
    status: "pass",
    reason: `the new version served ${observed}, configured ${pct(stage.traffic)} (always-valid p = ${fmtP(test.pValue)})`,
  };
}

function versionCheck(obs: CanaryObservation): CanaryCheck[] {
  const entries = Object.entries(obs.unknown).filter(([, n]) => n > 0);
  if (entries.length === 0) return [];
  const count = entries.reduce((s, [, n]) => s + n, 0);
  const list = entries
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([v, n]) => `${v} (${n})`)
    .join(", ");
  const served = `${count} requests were served by neither ${obs.candidate.version} nor ${obs.incumbent.version}: ${list}`;
  const base = { id: "versions", value: count, limit: 0 };
  // Requests of a third version mean the router serves something the rollout does not know
  // about (a stale replica, a missed rollback): while it still does (in the newest hour of the
  // log), the arms are not the whole story, so the rollout holds and never expands past them.
  // Once they have stopped they are only left out, or one stray hour would block the stage.
  if (stillServed(obs)) {
    return [
      {
        ...base,
        status: "fail",
        onFail: "hold",
        reason: `${served}, still in the newest hour of the log: holding until only the two arms serve (they are left out of every check; fix the router, or rollout.version-field if it names the wrong field)`,
      },
    ];
  }
  return [
    {
      ...base,
      status: "pass",
      reason: `${served}, none since ${obs.lastUnknown}: left out of every check`,
    },
  ];
}

function stillServed(obs: CanaryObservation): boolean {
  if (!obs.lastUnknown || obs.lastRequest === null) return true;
  const hour = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000);
  return hour(obs.lastUnknown) >= hour(obs.lastRequest);
}

/** Each arm's mean served score and class shares, when the log has them. */
function armPredictions(obs: CanaryObservation): CanaryResult["predictions"] {
  const arms = [obs.candidate, obs.incumbent];
  if (arms.every((a) => a.served.n === 0 && Object.keys(a.classes).length === 0)) return undefined;
  const of = (a: (typeof arms)[number]): ArmPredictions => {
    const total = Object.values(a.classes).reduce((s, n) => s + n, 0);
    return {
      scores: a.served.n,
      meanScore: a.served.n > 0 ? a.served.sumY / a.served.n : null,
      classShares: Object.fromEntries(
        Object.entries(a.classes)
          .sort((x, y) => (x[0] < y[0] ? -1 : 1))
          .map(([k, n]) => [k, n / total]),
      ),
    };
  };
  return { candidate: of(obs.candidate), incumbent: of(obs.incumbent) };
}

function evidenceChecks({ rollout, stageIndex, observation: obs }: CanaryInput): CanaryCheck[] {
  const stage = rollout.stages[stageIndex]!;
  const out: CanaryCheck[] = [];
  const n = obs.candidate.requests;
  if (n === 0) {
    out.push({
      id: "traffic",
      status: "warn",
      value: 0,
      limit: null,
      reason: `no requests served by ${obs.candidate.version} since ${stage.stage} began: check that the router reads the alias`,
      moreRequests: null,
    });
  }
  const minRequests = stage["min-requests"];
  if (minRequests !== undefined) {
    const status = n >= minRequests ? "pass" : "warn";
    out.push({
      id: "min-requests",
      status,
      value: n,
      limit: minRequests,
      reason: `${n} of ${minRequests} requests served by the new version`,
      ...(status === "warn" ? { moreRequests: minRequests - n } : {}),
    });
  }
  const minDuration = stage["min-duration"];
  if (minDuration !== undefined) {
    const hours = elapsedHours(obs);
    const limit = parseDuration(minDuration) / 3_600_000;
    out.push({
      id: "min-duration",
      status: hours >= limit ? "pass" : "warn",
      value: hours,
      limit,
      reason: `${fmt(hours)} of ${fmt(limit)} hours of ${stage.stage} logged`,
    });
  }
  return out;
}

/** What a hold still needs: the most requests any waiting check asks for, and the hours that takes at the current rate. */
function needs(input: CanaryInput, waiting: CanaryCheck[]): CanaryResult["needs"] {
  const open = waiting.filter((c) => c.status === "warn");
  if (open.length === 0) return null;
  const counted = open.filter((c) => c.id !== "min-duration");
  const unknown = counted.some((c) => c.moreRequests === null || c.moreRequests === undefined);
  const requests = unknown ? null : Math.max(0, ...counted.map((c) => c.moreRequests ?? 0));
  const obs = input.observation;
  const hours = elapsedHours(obs);
  const rate = hours > 0 ? obs.candidate.requests / hours : 0;
  const duration = open.find((c) => c.id === "min-duration");
  const durationHours = duration ? (duration.limit ?? 0) - (duration.value ?? 0) : 0;
  const trafficHours = requests === null ? null : rate > 0 ? requests / rate : requests === 0 ? 0 : null;
  const totalHours = trafficHours === null ? null : Math.max(trafficHours, durationHours);
  const reason =
    requests === null
      ? "a decision cannot be estimated yet: some check has no data or sits exactly on its limit"
      : `about ${requests} more requests of the new version${totalHours === null ? "" : ` (≈ ${fmt(totalHours)} h at the current rate)`}`;
  return { requests, hours: totalHours === null ? null : Number(totalHours.toFixed(2)), reason };
}

function elapsedHours(obs: CanaryObservation): number {
  if (obs.lastRequest === null) return 0;
  return Math.max(0, (Date.parse(obs.lastRequest) - Date.parse(obs.stageStart)) / 3_600_000);
}

const fmt = (x: number): string => String(Number(x.toPrecision(3)));
const pct = (x: number): string => `${Number((x * 100).toPrecision(3))}%`;
const fmtP = (p: number): string => (p < 1e-300 ? "< 1e-300" : p < 0.001 ? p.toExponential(2) : fmt(p));
