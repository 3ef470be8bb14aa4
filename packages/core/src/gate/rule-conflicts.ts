import type { GateRule } from "../manifest/schema.js";
import type { GateCheck } from "./gate-result.js";
import { scopeText, type ValueRule } from "./rule-scope.js";

type Scope = ValueRule["slices"];

/**
 * Failing checks for value rules that no model can pass together: on the same metric and
 * overlapping scopes (overall with overall; `all` with any slices; two column lists sharing a
 * column), one rule's `min` is above another's (or its own) `max`. The gate fails them rather than
 * throwing, so the verdict and `gate.json` still show every other check.
 *
 * @example
 * ruleConflicts([{ metric: "roc_auc", min: 0.9 }, { metric: "roc_auc", max: 0.8 }]);
 * // [{ id: "rules-contradict", rule: 1, status: "fail", reason: "gate.rules[0] asks roc_auc ≥ 0.9 but gate.rules[1] asks roc_auc ≤ 0.8 overall; ..." }]
 */
export function ruleConflicts(rules: readonly GateRule[]): GateCheck[] {
  const value = rules.flatMap((rule, index) =>
    "fairness" in rule || "vs" in rule || "behaviour" in rule ? [] : [{ rule, index }],
  );
  const checks: GateCheck[] = [];
  for (const [a, low] of value.entries()) {
    for (const high of value.slice(a)) {
      if (low.rule.metric !== high.rule.metric || !overlaps(low.rule.slices, high.rule.slices)) continue;
      for (const [x, y] of [
        [low, high],
        [high, low],
      ] as const) {
        const min = x.rule.min;
        const max = y.rule.max;
        if (min === undefined || max === undefined || min <= max) continue;
        const later = Math.max(x.index, y.index);
        const who =
          x.index === y.index
            ? `gate.rules[${x.index}] asks ${x.rule.metric} ≥ ${min} and ≤ ${max}`
            : `gate.rules[${x.index}] asks ${x.rule.metric} ≥ ${min} but gate.rules[${y.index}] asks ≤ ${max}`;
        checks.push({
          id: "rules-contradict",
          rule: later,
          description: `gate.rules[${x.index}] and gate.rules[${y.index}] agree`,
          scope: "overall",
          metric: x.rule.metric,
          comparison: "consistent",
          status: "fail",
          value: min,
          limit: max,
          reason: `${who}${scopeText(x.rule.slices) || " overall"}: no model can pass both; fix one of the limits`,
        });
        if (x.index === y.index) break;
      }
    }
  }
  return checks;
}

function overlaps(a: Scope, b: Scope): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a === "all" || b === "all") return true;
  return a.some((column) => b.includes(column));
}
