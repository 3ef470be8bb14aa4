import type { Manifest } from "../manifest/schema.js";
import { FAIRNESS_CRITERIA, type FairnessCriterion } from "../metrics/fairness-criteria.js";
import { type PairwiseDecision, pairwiseDecision } from "../metrics/fairness-decision.js";
import type { FairnessAdjustment, GapValue } from "../metrics/fairness-gap-values.js";
import type { FairnessRequest } from "../metrics/fairness-gaps.js";
import { formatValue } from "../validate/render-validation.js";
import type { GateCheck } from "./gate-result.js";
import { type IfUndefined, ifUndefinedOf, notEvaluated } from "./if-undefined.js";
import type { EvaluationFile } from "./result-files.js";
import type { FairnessRule } from "./rule-scope.js";
import { LIMIT_TOLERANCE } from "./value-rule.js";

/**
 * The check of a fairness rule: the metric compared between the groups of one column (the slices
 * keyed by that column alone). `max-gap` holds best − worst, `min-ratio` holds lowest / highest.
 * Suppressed groups (too few rows, as `min-slice-size` says) are left out and named. A group where
 * the metric is undefined, fewer than two groups to compare, or a ratio of zeros mean the rule was
 * not evaluated: a `fail`, unless `if-undefined: pass` accepts it (then the undefined groups are
 * left out and named too). A criterion (`demographic_parity`, `equal_opportunity`,
 * `equalized_odds`) is read from `evaluation.json`'s `fairness` block, where evaluate-slices
 * recorded the gap and ratio with their interval (bootstrap, or the delta method in large groups), which the reason quotes; so is a metric
 * when the block has it (older files: from the slices' values, without an interval).
 *
 * @example
 * fairnessRuleCheck({ fairness: "recall", across: "region", "max-gap": 0.05 }, 4, evaluation);
 * // { id: "fairness-max-gap", status: "fail", value: 0.08, limit: 0.05,
 * //   reason: "recall from 0.66 (region=EG) to 0.74 (region=AE): gap 0.08 > 0.05; ignored, suppressed: region=QA", ... }
 */
export function fairnessRuleCheck(
  rule: FairnessRule,
  index: number,
  evaluation: EvaluationFile,
  gateIfUndefined?: IfUndefined,
): GateCheck {
  const policy = ifUndefinedOf(rule, gateIfUndefined);
  const gap = rule["max-gap"] !== undefined;
  const comparison = gap ? "max-gap" : "min-ratio";
  const limit = (gap ? rule["max-gap"] : rule["min-ratio"]) ?? 0;
  const className = rule.class === undefined ? undefined : String(rule.class);
  const m = className === undefined ? rule.fairness : `${rule.fairness} of class ${className}`;
  const level = rule.confidence === undefined ? "" : `, ${formatValue(rule.confidence * 100)}% confidence`;
  const description = `${m} ${gap ? "gap ≤" : "ratio ≥"} ${limit} across ${rule.across}${level}`;
  const base = {
    rule: index,
    description,
    metric: rule.fairness,
    comparison,
    column: rule.across,
    scope: "overall",
  } as const;
  const check = (status: GateCheck["status"], value: number | null, reason: string): GateCheck => ({
    ...base,
    id: `fairness-${comparison}`,
    status,
    value,
    limit,
    reason,
  });
  const unevaluated = (why: string): GateCheck => {
    const { status, reason } = notEvaluated(policy, why);
    return check(status, null, reason);
  };
  const computed = Object.keys(evaluation.overall.metrics);
  const needed: readonly string[] = FAIRNESS_CRITERIA[rule.fairness as FairnessCriterion] ?? [rule.fairness];
  // One class's rates come from the class counts, not from evaluation.metrics.
  const missing = className === undefined ? needed.filter((name) => !computed.includes(name)) : [];
  if (missing.length > 0) {
    const reason = `${missing.join(", ")} ${missing.length > 1 ? "were" : "was"} not computed by evaluate-slices (computed: ${computed.join(", ") || "none"}); add ${missing.join(", ")} to evaluation.metrics or change the rule`;
    return { ...check("fail", null, reason), id: "metric-computed", comparison: "computed" };
  }
  const recorded = evaluation.fairness?.find(
    (f) => f.across === rule.across && f.criterion === rule.fairness && f.class === className,
  );
  if (!recorded && className !== undefined) {
    return unevaluated(
      `evaluation.json records no ${m} across ${rule.across}; re-run evaluate-slices with this gate rule in the manifest`,
    );
  }
  if (recorded) {
    const named = (why: "suppressed" | "undefined") =>
      recorded.leftOut.filter((l) => l.why === why).map((l) => `${rule.across}=${l.group}`);
    const ignored = [
      ...(named("suppressed").length > 0
        ? [`ignored, suppressed (too few rows): ${named("suppressed").join(", ")}`]
        : []),
      ...(named("undefined").length > 0 ? [`ignored, ${m} undefined: ${named("undefined").join(", ")}`] : []),
    ];
    const note = ignored.length > 0 ? `; ${ignored.join("; ")}` : "";
    if (named("undefined").length > 0 && policy === "fail") {
      return unevaluated(`${needed.join(" or ")} is undefined for ${named("undefined").join(", ")}`);
    }
    const measured = gap ? recorded.gap : recorded.ratio;
    if (measured.value === null) {
      return unevaluated(
        `${m} ${gap ? "gap" : "ratio"} across ${rule.across}: ${measured.reason ?? "undefined"}${note}`,
      );
    }
    const value = measured.value;
    const ok = gap ? value <= limit + LIMIT_TOLERANCE : value >= limit - LIMIT_TOLERANCE;
    const relation = gap ? (ok ? "≤" : ">") : ok ? "≥" : "<";
    const statistic = gap ? "gap" : "ratio";
    const compared = `${m} ${statistic} across ${recorded.groups.map((g) => `${rule.across}=${g}`).join(", ")}`;
    if (rule.confidence === undefined) {
      const interval = measured.ci
        ? ` (${Math.round(evaluation.confidence * 100)}% interval ${formatValue(measured.ci[0])} to ${formatValue(measured.ci[1])})`
        : "";
      return check(
        ok ? "pass" : "fail",
        value,
        `${compared}: ${formatValue(value)}${interval} ${relation} ${limit}${note}`,
      );
    }
    return check(
      ...significance(
        { confidence: rule.confidence, gap, limit },
        { ...measured, value },
        {
          adjustment: recorded.adjustment,
          confidence: evaluation.confidence,
          decision: gap ? recorded.decision : undefined,
        },
        compared,
        note,
      ),
    );
  }
  const slices = evaluation.slices.filter((s) => {
    const columns = Object.keys(s.key);
    return columns.length === 1 && columns[0] === rule.across;
  });
  if (slices.length === 0) {
    return {
      ...check(
        "fail",
        null,
        `evaluation.json has no slices of ${rule.across}; add ${rule.across} to evaluation.slices`,
      ),
      id: "slice-column",
    };
  }
  if (needed.length > 1 || needed[0] !== m) {
    return unevaluated(
      `evaluation.json records no ${m} across ${rule.across}; re-run evaluate-slices with this gate rule in the manifest`,
    );
  }
  const groups: { name: string; value: number }[] = [];
  const suppressed: string[] = [];
  const undefinedGroups: string[] = [];
  for (const slice of slices) {
    const name = `${rule.across}=${slice.key[rule.across]}`;
    const value = slice.suppressed ? undefined : slice.metrics[m]?.value;
    if (slice.suppressed) suppressed.push(name);
    else if (value === undefined || value === null) undefinedGroups.push(name);
    else groups.push({ name, value });
  }
  const ignored = [
    ...(suppressed.length > 0 ? [`ignored, suppressed (too few rows): ${suppressed.join(", ")}`] : []),
    ...(undefinedGroups.length > 0 ? [`ignored, ${m} undefined: ${undefinedGroups.join(", ")}`] : []),
  ];
  const note = ignored.length > 0 ? `; ${ignored.join("; ")}` : "";
  if (undefinedGroups.length > 0 && policy === "fail") {
    return unevaluated(`${m} is undefined for ${undefinedGroups.join(", ")}`);
  }
  if (groups.length < 2) return unevaluated(`fewer than two ${rule.across} groups have ${m}${note}`);
  const low = groups.reduce((a, b) => (b.value < a.value ? b : a));
  const high = groups.reduce((a, b) => (b.value > a.value ? b : a));
  const pointOnly =
    rule.confidence === undefined
      ? ""
      : "; judged on the point value: evaluation.json records no interval of it (re-run evaluate-slices)";
  const range = `${m} from ${formatValue(low.value)} (${low.name}) to ${formatValue(high.value)} (${high.name})`;
  if (gap) {
    const value = high.value - low.value;
    const ok = value <= limit + LIMIT_TOLERANCE;
    return check(
      ok ? "pass" : "fail",
      value,
      `${range}: gap ${formatValue(value)} ${ok ? "≤" : ">"} ${limit}${note}${pointOnly}`,
    );
  }
  if (high.value === 0) {
    return unevaluated(`${m} is 0 in every ${rule.across} group, so their ratio is undefined${note}`);
  }
  const value = low.value / high.value;
  const ok = value >= limit - LIMIT_TOLERANCE;
  return check(
    ok ? "pass" : "fail",
    value,
    `${range}: ratio ${formatValue(value)} ${ok ? "≥" : "<"} ${limit}${note}${pointOnly}`,
  );
}

/**
 * A fairness rule with `confidence`: it fails only when the data show, at that confidence, that the
 * true value is beyond the limit. A `max-gap` rule whose evaluation recorded a `decision` is judged
 * pair by pair (see `pairwiseDecision`): it fails when the largest simultaneous lower bound of
 * |p_g − p_h| is above `max-gap`; the interval of max − min, biased upward when groups are close
 * (its low end is above 0 when they are equal), is only quoted. Otherwise (a ratio, or a file
 * without `decision`) it fails when even the favourable end of the interval is beyond the limit
 * (a gap's low end above `max-gap`, a ratio's high end below `min-ratio`): the interval adjusted
 * across the report's fairness rules with confidence (`ciAdjusted`, Bonferroni) when recorded, else
 * the per-comparison `ci` of older files; without either, the point value decides and the reason
 * says so.
 */
function significance(
  rule: { confidence: number; gap: boolean; limit: number },
  measured: GapValue & { value: number },
  recorded: {
    adjustment?: FairnessAdjustment | undefined;
    confidence: number;
    decision?: PairwiseDecision | LegacyDecision | undefined;
  },
  compared: string,
  note: string,
): [GateCheck["status"], number, string] {
  const { value } = measured;
  const { gap, limit } = rule;
  const pointOk = gap ? value <= limit + LIMIT_TOLERANCE : value >= limit - LIMIT_TOLERANCE;
  const pointText = `${compared}: ${formatValue(value)} ${gap ? (pointOk ? "≤" : ">") : pointOk ? "≥" : "<"} ${limit}`;
  const adjustment = recorded.adjustment;
  const adjusted = adjustment ? measured.ciAdjusted : undefined;
  const ci = adjusted ?? (adjustment ? null : measured.ci);
  const level = adjustment ? adjustment.level : recorded.confidence;
  const kind = adjustment
    ? `${formatValue(level * 100)}% interval, simultaneous over the report's ${adjustment.family} fairness rule${adjustment.family === 1 ? "" : "s"} with confidence (Bonferroni),`
    : `${formatValue(level * 100)}% interval`;
  const intervalText = (at: [number, number]) =>
    `the ${kind} is [${formatValue(at[0])}, ${formatValue(at[1])}]`;
  const { decision } = recorded;
  if (gap && decision) {
    const judged = atLimit(decision, limit);
    const quoted = ci ? `; ${intervalText(ci)}` : "";
    const pass = judged.bound <= limit + LIMIT_TOLERANCE;
    const pair = `${judged.rate} ${judged.groups.join(" vs ")}`;
    const decided = `largest ${formatValue(judged.level * 100)}% lower bound of a pairwise difference (${judged.method}) is ${formatValue(Math.max(0, judged.bound))} (${pair})`;
    const levelOf =
      Math.abs(decision.level - rule.confidence) > 1e-9
        ? ` (recorded at ${formatValue(decision.level * 100)}%, the rule asks ${formatValue(rule.confidence * 100)}%)`
        : "";
    const reason = !pass
      ? `${pointText} with confidence: the ${decided}, above ${limit}${quoted}`
      : pointOk
        ? `${pointText}${quoted}`
        : `${pointText} on the point value but not significantly: the ${decided}, not above ${limit}${quoted}`;
    return [pass ? "pass" : "fail", value, `${reason}${levelOf}${note}`];
  }
  if (!ci) {
    const why = adjustment
      ? "the replicates cannot carry the adjusted interval (too many undefined)"
      : "no interval is recorded (evaluation.bootstrap is 0?)";
    return [pointOk ? "pass" : "fail", value, `${pointText}; judged on the point value: ${why}${note}`];
  }
  const favourable = gap ? ci[0] : ci[1];
  const ok = gap ? favourable <= limit + LIMIT_TOLERANCE : favourable >= limit - LIMIT_TOLERANCE;
  const interval = intervalText(ci);
  const levelNote =
    Math.abs(level - rule.confidence) > 1e-9
      ? ` (recorded at ${formatValue(level * 100)}%, the rule asks ${formatValue(rule.confidence * 100)}%)`
      : "";
  const beyond = gap ? `above ${limit}` : `below ${limit}`;
  const reason = !ok
    ? `${pointText} with confidence: ${interval}, all ${beyond}`
    : pointOk
      ? `${pointText}; ${interval}`
      : `${pointText} on the point value but not significantly: ${interval}`;
  return [ok ? "pass" : "fail", value, `${reason}${levelNote}${note}`];
}

/**
 * A recorded decision at the rule's own limit: recomputed from the recorded rates when it carries
 * them (its critical value depends on the limit; the same inputs give the same decision), else
 * (files before max-T: Bonferroni, which ignores the limit) as recorded.
 */
function atLimit(
  decision: PairwiseDecision | LegacyDecision,
  limit: number,
): Pick<PairwiseDecision, "bound" | "rate" | "groups" | "level" | "method"> {
  if (!("rates" in decision) || decision.rates === undefined || typeof decision.family !== "number")
    return decision;
  if (decision.limit === limit) return decision;
  return pairwiseDecision(decision.rates, decision.level, decision.family, limit) ?? decision;
}

/** A decision as files before max-T recorded it (Bonferroni over pairs × rates × rules). */
type LegacyDecision = Pick<
  PairwiseDecision,
  "method" | "level" | "comparisons" | "bound" | "rate" | "groups"
>;

/**
 * What evaluate-slices must compare between groups for the gate's `fairness:` rules to be read
 * from its result: each rule's column and metric or criterion.
 *
 * @example
 * fairnessRequests(manifest); // [{ across: "region", criterion: "equalized_odds", confidence: 0.95 }]
 * // a multiclass rule naming a class: [{ across: "region", criterion: "equal_opportunity", class: { index: 2, name: "postpaid" } }]
 */
export function fairnessRequests(manifest: Manifest): FairnessRequest[] {
  const classes = (manifest.artefact.classes ?? []).map(String);
  return (manifest.gate?.rules ?? []).flatMap((rule) => {
    if (!("fairness" in rule)) return [];
    const index = rule.class === undefined ? -1 : classes.indexOf(String(rule.class));
    return [
      {
        across: rule.across,
        criterion: rule.fairness,
        ...(rule.confidence === undefined ? {} : { confidence: rule.confidence }),
        ...(index < 0 ? {} : { class: { index, name: classes[index]! } }),
        ...(rule["max-gap"] === undefined ? {} : { maxGap: rule["max-gap"] }),
      },
    ];
  });
}
