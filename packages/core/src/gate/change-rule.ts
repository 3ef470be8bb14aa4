import type { MetricName } from "../manifest/metric-names.js";
import { METRICS } from "../metrics/registry.js";
import { formatValue } from "../validate/render-validation.js";
import type { GateCheck } from "./gate-result.js";
import { type IfUndefined, ifUndefinedOf, notEvaluated } from "./if-undefined.js";
import type { EvaluationFile } from "./result-files.js";
import {
  type ChangeRule,
  groupText,
  resolveScope,
  type ScopedGroup,
  scopeText,
  suppressedChecks,
} from "./rule-scope.js";
import { LIMIT_TOLERANCE } from "./value-rule.js";

// The delta is recomputed from the two recorded values; a stored delta further than this from
// candidate − baseline means the file was edited or corrupted.
const DELTA_TOLERANCE = 1e-9;

/**
 * The checks of a change threshold against the baseline, one per group in scope. The drop is
 * measured in the metric's bad direction (a rise of log_loss is a drop). Without `confidence` the
 * point change decides; with it the paired bootstrap interval of the delta recorded in
 * evaluation.json decides — the simultaneous one (`ciAdjusted`, controlled across every metric ×
 * group of the report, as the report's 🔻 marks are) when recorded, else the per-change `ci` of
 * older files — and the rule fails only when even the interval's most favourable end is a drop
 * beyond the limit. With no baseline (first version) the rule is skipped, which counts as a pass;
 * a metric undefined for the candidate or the baseline was not evaluated (see `if-undefined`).
 *
 * @example
 * changeRuleChecks({ metric: "roc_auc", "max-drop": 0.01, vs: "baseline" }, 2, evaluation);
 * // [{ id: "change-max-drop", status: "fail", value: 0.025, limit: 0.01, reason: "roc_auc 0.86 → 0.835: drop 0.025 > 0.01 overall", ... }]
 */
export function changeRuleChecks(
  rule: ChangeRule,
  index: number,
  evaluation: EvaluationFile,
  gateIfUndefined?: IfUndefined,
): GateCheck[] {
  const policy = ifUndefinedOf(rule, gateIfUndefined);
  const relative = rule["max-drop"] === undefined;
  const comparison = relative ? "max-drop-relative" : "max-drop";
  const limit = (relative ? rule["max-drop-relative"] : rule["max-drop"]) ?? 0;
  const shownLimit = relative ? `${formatValue(limit * 100)}%` : String(limit);
  const level = rule.confidence === undefined ? "" : `, ${formatValue(rule.confidence * 100)}% confidence`;
  const description = `${rule.metric} drop ≤ ${shownLimit} vs baseline${scopeText(rule.slices)}${level}`;
  const base = {
    rule: index,
    description,
    metric: rule.metric,
    comparison,
    id: `change-${comparison}`,
  } as const;
  if (!evaluation.baseline) {
    const reason = `no baseline was evaluated (first version of ${evaluation.model.name}); change rule skipped`;
    return [{ ...base, scope: "overall", status: "skip", value: null, limit, reason }];
  }
  const { groups, suppressed, failures } = resolveScope(evaluation, index, description, rule, comparison);
  const checks = [...failures];
  // A custom metric's direction is recorded beside its definition in evaluation.json.
  const lowerIsBetter =
    (METRICS[rule.metric as MetricName]?.direction ?? evaluation.custom?.[rule.metric]?.direction) ===
    "lower";
  for (const group of groups) {
    checks.push(
      groupCheck(
        rule,
        group,
        { ...base, scope: group.scope, limit },
        relative,
        evaluation.confidence,
        policy,
        lowerIsBetter,
      ),
    );
  }
  checks.push(...suppressedChecks(suppressed, base));
  return checks;
}

function groupCheck(
  rule: ChangeRule,
  group: ScopedGroup,
  check: Omit<GateCheck, "status" | "value" | "reason"> & { limit: number },
  relative: boolean,
  recordedLevel: number,
  policy: IfUndefined,
  lowerIsBetter: boolean,
): GateCheck {
  const m = rule.metric;
  const where = groupText(group.scope);
  const result = (status: GateCheck["status"], value: number | null, reason: string): GateCheck => ({
    ...check,
    status,
    value,
    reason,
  });
  if (!group.baseline) return result("skip", null, `${where} has no baseline to compare with (new slice)`);
  const candidate = group.metrics[m];
  const before = group.baseline.metrics[m];
  if (!candidate || !before) {
    return result(
      "fail",
      null,
      `${m} is not recorded for the ${candidate ? "baseline" : "candidate"} ${where}`,
    );
  }
  if (candidate.value === null || before.value === null) {
    const which = candidate.value === null ? "candidate" : "baseline";
    const why = (candidate.value === null ? candidate : before).reason ?? "undefined";
    const { status, reason } = notEvaluated(policy, `${m} is undefined for the ${which} ${where} (${why})`);
    return result(status, null, reason);
  }
  const delta = candidate.value - before.value;
  const stored = group.baseline.delta[m];
  if (stored && stored.value !== null && Math.abs(stored.value - delta) > DELTA_TOLERANCE) {
    return result(
      "fail",
      null,
      `evaluation.json records a ${m} delta of ${formatValue(stored.value)} ${where}, but candidate − baseline is ${formatValue(delta)}; re-run evaluate-slices`,
    );
  }
  const sign = lowerIsBetter ? 1 : -1;
  const drop = sign * delta;
  const scale = relative ? Math.abs(before.value) : 1;
  const allowed = check.limit * scale;
  const measured = relative ? (scale === 0 ? null : drop / scale) : drop;
  const shown = (d: number) =>
    relative ? (scale === 0 ? "∞" : `${formatValue((d / scale) * 100)}%`) : formatValue(d);
  const limitText = relative ? `${formatValue(check.limit * 100)}%` : String(check.limit);
  const change = `${where}: ${m} ${formatValue(before.value)} → ${formatValue(candidate.value)}`;
  const movement = drop > 0 ? `drop ${shown(drop)}` : "no drop";
  const pointOk = drop <= allowed + LIMIT_TOLERANCE;
  const pointText = `${change}, ${movement}, ${pointOk ? "within" : "beyond"} ${limitText}`;
  if (rule.confidence === undefined) return result(pointOk ? "pass" : "fail", measured, pointText);
  const adjusted = stored?.ciAdjusted;
  const ci = adjusted ?? stored?.ci;
  if (!ci) {
    const note = "judged on the point change: no interval is recorded (evaluation.bootstrap is 0?)";
    return result(pointOk ? "pass" : "fail", measured, `${pointText}; ${note}`);
  }
  // The drop's interval: the delta's interval turned to the bad direction.
  const [low, high] = lowerIsBetter ? [ci[0], ci[1]] : [-ci[1], -ci[0]];
  const ok = low <= allowed + LIMIT_TOLERANCE;
  const kind = adjusted ? "simultaneous " : "";
  const interval = `the ${kind}${formatValue(recordedLevel * 100)}% interval of the drop is [${shown(low)}, ${shown(high)}]`;
  const levelNote =
    Math.abs(recordedLevel - rule.confidence) > 1e-9
      ? ` (recorded at ${formatValue(recordedLevel * 100)}%, the rule asks ${formatValue(rule.confidence * 100)}%)`
      : "";
  const reason = !ok
    ? `${change}, ${movement}, beyond ${limitText} with confidence: ${interval}, all above ${limitText}`
    : pointOk
      ? `${pointText}; ${interval}`
      : `${change}, ${movement}, beyond ${limitText} on the point change but not significantly: ${interval}`;
  return result(ok ? "pass" : "fail", measured, `${reason}${levelNote}`);
}
