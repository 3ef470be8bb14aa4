import type { GateRule } from "../manifest/schema.js";
import type { GateCheck, SliceKey } from "./gate-result.js";
import type { EvaluationFile, RecordedMetric } from "./result-files.js";
import { formatSliceKey, inSliceScope, sliceKeyId } from "./slice-key.js";

/** A value threshold rule of `gate.rules`. */
export type ValueRule = Exclude<GateRule, { vs: "baseline" } | { fairness: string } | { behaviour: unknown }>;
/** A change threshold rule of `gate.rules`. */
export type ChangeRule = Extract<GateRule, { vs: "baseline" }>;
/** A fairness rule of `gate.rules`. */
export type FairnessRule = Extract<GateRule, { fairness: string }>;

type Metrics = Record<string, RecordedMetric>;

/** One group a value or change rule is checked on: overall or a non-suppressed slice. */
export interface ScopedGroup {
  scope: "overall" | SliceKey;
  metrics: Metrics;
  /** The baseline's metrics and the paired delta for the same group, when the baseline has it. */
  baseline?: { metrics: Metrics; delta: Metrics };
}

/**
 * The groups a rule applies to, the suppressed slices it cannot check, and the checks that fail
 * it outright: a metric the evaluation did not compute, or a `slices:` column no slice has.
 *
 * @example
 * resolveScope(evaluation, 0, "roc_auc ≥ 0.7, every slice", { metric: "roc_auc", slices: "all" }, "min");
 * // { groups: [{ scope: { region: "AE" }, metrics: {...}, baseline: {...} }, ...], suppressed: [...], failures: [] }
 */
export function resolveScope(
  evaluation: EvaluationFile,
  rule: number,
  description: string,
  target: { metric: string; slices?: "all" | string[] | undefined },
  comparison: GateCheck["comparison"],
): { groups: ScopedGroup[]; suppressed: SliceKey[]; failures: GateCheck[] } {
  const base = { rule, description, metric: target.metric, value: null, limit: null } as const;
  const computed = Object.keys(evaluation.overall.metrics);
  if (!computed.includes(target.metric)) {
    const reason = `${target.metric} was not computed by evaluate-slices (computed: ${computed.join(", ") || "none"}); add ${target.metric} to evaluation.metrics or change the rule`;
    const check: GateCheck = {
      ...base,
      id: "metric-computed",
      scope: "overall",
      comparison: "computed",
      status: "fail",
      reason,
    };
    return { groups: [], suppressed: [], failures: [check] };
  }
  const baseline = evaluation.baseline;
  if (target.slices === undefined) {
    const group: ScopedGroup = { scope: "overall", metrics: evaluation.overall.metrics };
    if (baseline) group.baseline = { metrics: baseline.overall.metrics, delta: baseline.overall.delta };
    return { groups: [group], suppressed: [], failures: [] };
  }
  const scope = target.slices;
  const inScope = evaluation.slices.filter((s) => inSliceScope(s.key, scope));
  const failures: GateCheck[] = [];
  if (scope !== "all") {
    const available = [...new Set(evaluation.slices.map((s) => Object.keys(s.key).join(" × ")))];
    for (const column of scope) {
      if (inScope.some((s) => column in s.key)) continue;
      failures.push({
        ...base,
        id: "slice-column",
        column,
        scope: "overall",
        comparison,
        status: "fail",
        reason: `evaluation.json has no slices of ${column} (sliced by: ${available.join(", ") || "nothing"}); add ${column} to evaluation.slices or fix the rule's slices`,
      });
    }
  }
  const baselineSlices = new Map((baseline?.slices ?? []).map((s) => [sliceKeyId(s.key), s]));
  const groups: ScopedGroup[] = [];
  const suppressed: SliceKey[] = [];
  for (const slice of inScope) {
    if (slice.suppressed) {
      suppressed.push(slice.key);
      continue;
    }
    const group: ScopedGroup = { scope: slice.key, metrics: slice.metrics };
    const before = baselineSlices.get(sliceKeyId(slice.key));
    if (before && !before.suppressed) group.baseline = { metrics: before.metrics, delta: before.delta };
    groups.push(group);
  }
  return { groups, suppressed, failures };
}

/**
 * The skip checks for slices too small to have metrics (fewer rows than `min-slice-size`).
 *
 * @example
 * suppressedChecks([{ region: "QA" }], { rule: 1, description: "roc_auc ≥ 0.7, every slice", metric: "roc_auc", comparison: "min", id: "value-min" });
 * // [{ status: "skip", scope: { region: "QA" }, reason: "slice region=QA is suppressed (too few rows); not checked", ... }]
 */
export function suppressedChecks(
  keys: readonly SliceKey[],
  base: Pick<GateCheck, "rule" | "description" | "metric" | "comparison" | "id">,
): GateCheck[] {
  return keys.map((key) => ({
    ...base,
    scope: key,
    status: "skip",
    value: null,
    limit: null,
    reason: `slice ${formatSliceKey(key)} is suppressed (too few rows); not checked`,
  }));
}

/**
 * The words for a rule's scope, appended to its description.
 *
 * @example
 * scopeText("all"); // ", every slice"
 * scopeText(["region"]); // ", region slices"
 */
export function scopeText(slices: "all" | string[] | undefined): string {
  if (slices === undefined) return "";
  if (slices === "all") return ", every slice";
  return `, ${slices.join(" and ")} slices`;
}

/**
 * Where a group is, for reasons: `overall` or `slice region=AE`.
 *
 * @example
 * groupText({ region: "AE" }); // "slice region=AE"
 */
export function groupText(scope: "overall" | SliceKey): string {
  return scope === "overall" ? "overall" : `slice ${formatSliceKey(scope)}`;
}
