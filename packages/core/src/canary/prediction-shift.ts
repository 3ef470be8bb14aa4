import type { RolloutCheck } from "../manifest/schema-rollout.js";
import { alignCounts } from "../stats/category-counts.js";
import { cuped } from "../stats/cuped.js";
import { decide, fmt, missing, pct, type SequenceSettings, signed, smoothedRate } from "./canary-decide.js";
import type { ArmSummary, CanaryCheck } from "./canary-result.js";

export type PredictionCheck = Extract<RolloutCheck, { prediction: unknown }>;

/** What a failed prediction check does, for its reason. */
const ON_FAIL = {
  hold: "holding (on-fail: hold): if the new model is meant to predict differently, raise max-shift; otherwise roll back",
  rollback: "rolling back (on-fail: rollback)",
} as const;

/**
 * A `prediction:` check: the shift of the mean served score (`score`) or of each served class's
 * share (`class`) between the arms, within ±max-shift; a failure says what `on-fail` does.
 */
export function predictionShiftCheck(
  check: PredictionCheck,
  c: ArmSummary,
  i: ArmSummary,
  s: SequenceSettings,
): CanaryCheck {
  const limit = check["max-shift"];
  const checked = check.prediction === "score" ? scoreShift(limit, c, i, s) : classShift(limit, c, i, s);
  return withOnFail(checked, check["on-fail"]);
}

/** The mean served score's shift. */
function scoreShift(limit: number, c: ArmSummary, i: ArmSummary, s: SequenceSettings): CanaryCheck {
  const id = "prediction:score";
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
  return decide(id, { estimate, variance, limit, failWhen: "outside", n: mc.n }, s, {
    describe: `mean score ${fmt(mc.mean)} vs ${fmt(mi.mean)} on ${mc.n} + ${mi.n} requests (shift ${signed(estimate)}; limit ±${limit})`,
  });
}

/** Each served class's share's shift: one test for two classes, else one per class at the error rate split between them. */
function classShift(limit: number, c: ArmSummary, i: ArmSummary, s: SequenceSettings): CanaryCheck {
  const id = "prediction:class";
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
  return {
    id,
    status,
    value: worst.value,
    limit,
    ...(worst.interval ? { interval: worst.interval } : {}),
    reason: `class shares on ${nc} + ${ni} requests, largest shifts: ${shown.join(", ")} (limit ±${100 * limit} pts): ${verdictText}`,
    ...(status === "warn" ? { moreRequests } : {}),
  };
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
