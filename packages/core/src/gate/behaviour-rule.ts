import type { GateRule } from "../manifest/schema.js";
import type { GateCheck } from "./gate-result.js";
import type { ChecksFile } from "./result-files.js";

/** A `{ behaviour: ... }` entry of `gate.rules`. */
export type BehaviourRule = Extract<GateRule, { behaviour: unknown }>;

type Recorded = ChecksFile["checks"][number];

const testName = (c: Recorded) => (c.column === undefined ? c.id : `${c.id}:${c.column}`);

/**
 * The gate checks of one behaviour rule, recomputed from `behaviour.json`'s recorded values: with
 * `max`, each named test's measured value must be at most `max`; without it, none may fail, where
 * a value over its recorded limit fails whatever the stored status says. A named test that is not in
 * the file, a test that measured nothing (`skip`) and a missing file fail: the gate never passes a
 * rule it could not evaluate.
 *
 * @example
 * behaviourRuleChecks({ behaviour: "robustness-flip-rate", max: 0.02 }, 3, behaviour);
 * // [{ id: "behaviour", rule: 3, metric: "robustness-flip-rate", comparison: "max", status: "pass", value: 0.004, limit: 0.02, ... }]
 */
export function behaviourRuleChecks(
  rule: BehaviourRule,
  index: number,
  file: ChecksFile | undefined,
): GateCheck[] {
  const names =
    rule.behaviour === "all" ? null : Array.isArray(rule.behaviour) ? rule.behaviour : [rule.behaviour];
  const shown = names === null ? "every behavioural test" : names.join(", ");
  const description =
    rule.max === undefined ? `no failures in ${shown}` : `${shown}: measured value ≤ ${rule.max}`;
  const base = {
    id: "behaviour",
    rule: index,
    description,
    scope: "overall" as const,
    comparison: rule.max === undefined ? ("computed" as const) : ("max" as const),
  };
  const failed = (metric: string, reason: string): GateCheck => ({
    ...base,
    metric,
    status: "fail",
    value: null,
    limit: rule.max ?? null,
    reason,
  });
  if (!file) return [failed(shown, "behaviour.json is missing: run check-behaviour before release-gate")];
  const checks: GateCheck[] = [];
  const selected: Recorded[] = [];
  if (names === null) {
    if (file.checks.length === 0)
      return [failed(shown, "behaviour.json holds no tests: add tests to behaviour:")];
    selected.push(...file.checks);
  } else {
    for (const name of names) {
      const found = file.checks.filter((c) => c.id === name || testName(c) === name);
      if (found.length === 0) {
        checks.push(
          failed(name, `${name} is not in behaviour.json: add the test to the manifest's behaviour: section`),
        );
      }
      selected.push(...found);
    }
  }
  for (const c of selected) {
    const name = testName(c);
    const value = typeof c.value === "number" ? c.value : null;
    if (c.status === "skip" || value === null) {
      checks.push({ ...failed(name, `${name} measured nothing (${c.reason})`), value });
      continue;
    }
    if (rule.max !== undefined) {
      const ok = value <= rule.max;
      checks.push({
        ...base,
        metric: name,
        status: ok ? "pass" : "fail",
        value,
        limit: rule.max,
        reason: `${name} ${value} ${ok ? "≤" : ">"} ${rule.max}`,
      });
      continue;
    }
    const limit = typeof c.limit === "number" ? c.limit : null;
    // Out-of-distribution's limit marks a warning (confidence rising far out), not a failure.
    const over = limit !== null && value > limit && c.id !== "out-of-distribution";
    const fails = c.status === "fail" || over;
    checks.push({
      ...base,
      metric: name,
      status: fails ? "fail" : "pass",
      value,
      limit,
      reason: fails
        ? `${name} fails: ${c.reason}`
        : `${name} passes${c.status === "warn" ? " with a warning" : ""}`,
    });
  }
  return checks;
}
