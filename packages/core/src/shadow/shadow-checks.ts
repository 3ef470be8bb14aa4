import type { MetricName } from "../manifest/metric-names.js";
import { METRICS } from "../metrics/registry.js";
import { formatNumber, sliceText } from "../report/evaluation-format.js";
import type { Check } from "../results/check.js";
import type { ShadowLimits } from "./shadow-limits.js";
import type { ShadowResult } from "./shadow-result.js";

/** The measured parts of `shadow.json` that the checks read. */
export type ShadowMeasurements = Pick<
  ShadowResult,
  "agreement" | "distribution" | "slices" | "latency" | "outcomes" | "skew" | "log" | "task" | "regression"
>;

const percent = (share: number) => `${(share * 100).toFixed(share < 0.001 && share > 0 ? 2 : 1)}%`;

/**
 * Every check of a shadow comparison, each with its status, measured value, limit and one-line
 * reason: enough compared requests for a verdict (`min-requests`), decision disagreement overall
 * and in the worst slice, PSI of the score distributions, the challenger's p99 latency, both kinds
 * of skew, skipped log rows and, when enough outcomes arrived, a significant drop of each metric
 * (the paired interval of challenger − champion lies entirely on the worse side).
 *
 * The disagreement checks hold whatever `agreement.disagreement` measures for the task: flipped
 * decisions (binary), a different predicted class (multiclass), predictions further apart than
 * `shadow.tolerance` (regression); `score-psi` holds the class mix (multiclass) or the predicted
 * values (regression).
 *
 * @example
 * shadowChecks(measurements, DEFAULT_SHADOW_LIMITS).map((c) => [c.id, c.status]);
 * // [["disagreement", "pass"], ["slice-disagreement", "pass"], ["score-psi", "pass"], ...]
 */
export function shadowChecks(m: ShadowMeasurements, limits: ShadowLimits): Check[] {
  const checks: Check[] = [requestCountCheck(m, limits)];
  const limit = (
    value: number | null,
    max: number,
    id: string,
    text: (v: number) => string,
    column?: string,
  ) => {
    const base = { id, ...(column ? { column } : {}), value, limit: max };
    if (value === null) return checks.push({ ...base, status: "skip", reason: `${id}: not measured` });
    const over = value > max;
    checks.push({
      ...base,
      status: over ? "fail" : "pass",
      reason: text(value) + (over ? " — over the limit" : ""),
    });
  };
  const { agreement } = m;
  const differ =
    m.task === "multiclass"
      ? "predicted classes differ"
      : m.task === "regression"
        ? `predictions differ by more than ${m.regression?.tolerance}`
        : "decisions differ";
  limit(
    agreement.disagreement,
    limits.maxDisagreement,
    "disagreement",
    (v) =>
      `${differ} on ${percent(v)} of ${agreement.n} requests; at most ${percent(limits.maxDisagreement)} is allowed`,
  );
  const worst = m.slices.find((s) => !s.suppressed);
  if (worst) {
    const where = sliceText(worst.key);
    limit(
      worst.disagreement,
      limits.maxDisagreement,
      "slice-disagreement",
      (v) =>
        `worst slice ${where}: ${differ} on ${percent(v)} of ${worst.n} requests; at most ${percent(limits.maxDisagreement)} is allowed`,
      where,
    );
  }
  limit(
    m.distribution.psi,
    limits.maxPsi,
    "score-psi",
    (v) =>
      `PSI of the candidate's ${m.task === "multiclass" ? "class mix" : m.task === "regression" ? "predictions" : "scores"} against the champion's is ${formatNumber(v)}; at most ${formatNumber(limits.maxPsi)} is allowed`,
  );
  latencyCheck(m, limits, checks);
  if (m.skew.replay) {
    const r = m.skew.replay;
    limit(
      r.share,
      limits.maxSkew,
      "score-skew",
      (v) =>
        `replaying the champion on the logged features reproduces the served score on ${percent(1 - v)} of ${r.n} requests (${r.mismatched} differ); at most ${percent(limits.maxSkew)} may differ`,
    );
  }
  if (m.skew.features) {
    const f = m.skew.features;
    const worstColumn = f.columns.find((c) => c.mismatched > 0);
    limit(
      f.share,
      limits.maxSkew,
      "feature-skew",
      (v) =>
        `${percent(v)} of ${f.matched} requests have served features that differ from offline` +
        (worstColumn ? ` (most: ${worstColumn.column}, ${worstColumn.mismatched} rows)` : "") +
        `; at most ${percent(limits.maxSkew)} may`,
      worstColumn?.column,
    );
    if (f.missingOffline.length + f.missingServed.length > 0) {
      checks.push({
        id: "feature-columns",
        status: "warn",
        value: f.missingOffline.length + f.missingServed.length,
        limit: 0,
        reason: [
          f.missingOffline.length ? `missing offline: ${f.missingOffline.join(", ")}` : "",
          f.missingServed.length ? `missing in the log: ${f.missingServed.join(", ")}` : "",
        ]
          .filter(Boolean)
          .join("; "),
      });
    }
  }
  const skipped =
    m.log.duplicateIds +
    m.log.missingChampionScore +
    Object.values(m.log.otherVersions).reduce((a, b) => a + b, 0);
  checks.push({
    id: "skipped-rows",
    status: skipped > 0 ? "warn" : "pass",
    value: skipped,
    limit: 0,
    reason:
      skipped > 0
        ? `${skipped} of ${m.log.rows} logged rows were left out (see the log line of the report)`
        : `all ${m.log.rows} logged rows were compared`,
  });
  outcomeChecks(m, checks);
  return checks;
}

/**
 * Too few compared requests fail: a disagreement of 0 on one request says nothing. The count is
 * after repeated ids and unusable rows were left out, and the reason says how many those were.
 */
function requestCountCheck(m: ShadowMeasurements, limits: ShadowLimits): Check {
  const n = m.agreement.n;
  const requests = `${n} request${n === 1 ? "" : "s"} compared`;
  const base = { id: "compared-requests", value: n, limit: limits.minRequests };
  const left = m.log.rows - m.log.compared;
  const leftOut =
    left > 0
      ? ` (${left} of ${m.log.rows} logged rows left out${m.log.duplicateIds ? `, ${m.log.duplicateIds} of them repeated ids` : ""})`
      : "";
  if (n >= limits.minRequests) {
    return {
      ...base,
      status: "pass",
      reason: `${requests}${leftOut}; at least ${limits.minRequests} needed`,
    };
  }
  return {
    ...base,
    status: "fail",
    reason:
      `only ${requests}${leftOut}; at least ${limits.minRequests} are needed for a verdict: ` +
      "log more shadow traffic, or lower shadow.min-requests",
  };
}

function latencyCheck(m: ShadowMeasurements, limits: ShadowLimits, checks: Check[]): void {
  const logged = m.latency.logged.challenger?.p99Ms ?? null;
  const value = logged ?? m.latency.benchmark.challenger?.p99Ms ?? null;
  const source = logged !== null ? "logged" : "in-process (one-row batches)";
  const base = { id: "latency-p99", value, limit: limits.maxLatencyP99Ms };
  if (value === null) {
    checks.push({ ...base, status: "skip", reason: "no latency was logged or measured for the candidate" });
  } else if (limits.maxLatencyP99Ms === null) {
    checks.push({
      ...base,
      status: "pass",
      reason: `candidate p99 latency ${formatNumber(value)} ms (${source}); set shadow.max-latency-p99-ms to hold it to a budget`,
    });
  } else {
    const over = value > limits.maxLatencyP99Ms;
    checks.push({
      ...base,
      status: over ? "fail" : "pass",
      reason: `candidate p99 latency ${formatNumber(value)} ms (${source}); at most ${limits.maxLatencyP99Ms} ms is allowed`,
    });
  }
}

function outcomeChecks(m: ShadowMeasurements, checks: Check[]): void {
  const outcomes = m.outcomes;
  if (!outcomes) return;
  for (const [name, values] of Object.entries(outcomes.metrics)) {
    const base = { id: "outcome-metric", column: name, value: values.delta.value, limit: 0 };
    if (!outcomes.sufficient || !values.delta.ci || values.delta.value === null) {
      checks.push({
        ...base,
        status: "skip",
        reason: `${name}: ${outcomes.sufficient ? "no interval for the difference" : `only ${outcomes.n} outcomes, too few to judge`}`,
      });
      continue;
    }
    const higher = METRICS[name as MetricName]?.direction !== "lower";
    const [low, high] = values.delta.ci;
    const worse = higher ? high < 0 : low > 0;
    const interval = `[${formatNumber(low, true)}, ${formatNumber(high, true)}]`;
    checks.push({
      ...base,
      status: worse ? "fail" : "pass",
      reason: worse
        ? `${name} is significantly worse on ${outcomes.n} requests with outcomes: candidate − champion ${interval}`
        : `${name} difference on ${outcomes.n} requests with outcomes: candidate − champion ${interval}`,
    });
  }
}
