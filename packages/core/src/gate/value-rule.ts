import { formatValue } from "../validate/render-validation.js";
import type { GateCheck } from "./gate-result.js";
import { type IfUndefined, ifUndefinedOf, notEvaluated } from "./if-undefined.js";
import type { EvaluationFile } from "./result-files.js";
import { groupText, resolveScope, scopeText, suppressedChecks, type ValueRule } from "./rule-scope.js";

/**
 * How far inside a limit a value may round and still pass: limits are written in decimal and
 * values come out of float sums, so `0.8` computed as `0.7999999999999999` must not fail.
 *
 * @example
 * 0.1 + 0.7 >= 0.8 - LIMIT_TOLERANCE; // true
 */
export const LIMIT_TOLERANCE = 1e-12;

/**
 * The checks of a value threshold: one per bound (`min`, `max`) per group in scope. A metric that
 * is undefined (`value: null`, e.g. ROC AUC of a one-class slice) was not evaluated: a `fail`,
 * unless the rule's (or the gate's) `if-undefined: pass` accepts it as a `skip`.
 *
 * @example
 * valueRuleChecks({ metric: "roc_auc", min: 0.8 }, 0, evaluation);
 * // [{ id: "value-min", scope: "overall", status: "pass", value: 0.84, limit: 0.8, reason: "roc_auc 0.84 ≥ 0.8 overall", ... }]
 */
export function valueRuleChecks(
  rule: ValueRule,
  index: number,
  evaluation: EvaluationFile,
  gateIfUndefined?: IfUndefined,
): GateCheck[] {
  const bounds = [
    ...(rule.min === undefined ? [] : [["min", rule.min] as const]),
    ...(rule.max === undefined ? [] : [["max", rule.max] as const]),
  ];
  const describe = bounds.map(([side, limit]) => `${rule.metric} ${side === "min" ? "≥" : "≤"} ${limit}`);
  const description = `${describe.join(" and ")}${scopeText(rule.slices)}`;
  const comparison = bounds[0]?.[0] ?? "min";
  const { groups, suppressed, failures } = resolveScope(evaluation, index, description, rule, comparison);
  const checks = [...failures];
  for (const [side, limit] of bounds) {
    const base = {
      rule: index,
      description,
      metric: rule.metric,
      comparison: side,
      id: `value-${side}`,
    } as const;
    for (const group of groups) {
      const where = groupText(group.scope);
      const recorded = group.metrics[rule.metric];
      const check = { ...base, scope: group.scope, limit };
      if (recorded === undefined) {
        checks.push({
          ...check,
          status: "fail",
          value: null,
          reason: `${rule.metric} is not recorded for ${where}`,
        });
      } else if (recorded.value === null) {
        const why = `${rule.metric} is undefined ${where} (${recorded.reason ?? "undefined"})`;
        checks.push({ ...check, value: null, ...notEvaluated(ifUndefinedOf(rule, gateIfUndefined), why) });
      } else {
        const value = recorded.value;
        const ok = side === "min" ? value >= limit - LIMIT_TOLERANCE : value <= limit + LIMIT_TOLERANCE;
        const sign = ok ? (side === "min" ? "≥" : "≤") : side === "min" ? "<" : ">";
        checks.push({
          ...check,
          status: ok ? "pass" : "fail",
          value,
          reason: `${rule.metric} ${formatValue(value)} ${sign} ${limit} ${where}`,
        });
      }
    }
    checks.push(...suppressedChecks(suppressed, base));
  }
  return checks;
}
