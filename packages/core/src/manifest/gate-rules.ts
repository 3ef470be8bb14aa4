import { FAIRNESS_CRITERIA, type FairnessCriterion } from "../metrics/fairness-criteria.js";
import { ONE_VS_REST_RATES } from "../metrics/one-vs-rest.js";
import { slicedColumns } from "./evaluation-rules.js";
import type { FieldPath } from "./field-path.js";
import type { RuleProblem } from "./manifest-rules.js";
import { metricsForTask } from "./metric-names.js";
import type { Manifest } from "./schema.js";

/**
 * The `gate:` rules: each rule names a computed metric (or a fairness criterion) of the task, and
 * the columns it scopes to are sliced by `evaluation.slices`.
 *
 * @example
 * gateRules(manifest); // [] when every gate rule can be judged on evaluation.json
 */
export function gateRules(m: Manifest): RuleProblem[] {
  const out: RuleProblem[] = [];
  const computed = m.evaluation?.metrics ?? [];
  const sliced = slicedColumns(m);
  const requireSliced = (column: string, path: FieldPath) => {
    if (!sliced.has(column)) {
      out.push({
        path,
        problem: `${column} is not sliced by evaluation.slices`,
        fix: `add ${column} to evaluation.slices`,
      });
    }
  };
  (m.gate?.rules ?? []).forEach((rule, i) => {
    const path = ["gate", "rules", i];
    if ("behaviour" in rule) {
      if (!m.behaviour) {
        out.push({
          path: [...path, "behaviour"],
          problem: "no behavioural test runs: the behaviour section is missing",
          fix: "add a behaviour: section (cases, invariance, directional, edge-cases, robustness) and run check-behaviour",
        });
      }
      return;
    }
    const [metricKey, metric] = "fairness" in rule ? ["fairness", rule.fairness] : ["metric", rule.metric];
    const criterion = FAIRNESS_CRITERIA[metric as FairnessCriterion] as readonly string[] | undefined;
    if ("fairness" in rule && rule.class !== undefined) {
      // One class against the rest: its rates come from the class counts, not evaluation.metrics.
      const classes = (m.artefact.classes ?? []).map(String);
      const rates = criterion ?? [metric];
      if (m.task !== "multiclass") {
        out.push({
          path: [...path, "class"],
          problem: `class: compares one class against the rest, for multiclass models; this model is ${m.task}`,
          fix: "remove class: from the rule",
        });
      } else if (!classes.includes(String(rule.class))) {
        out.push({
          path: [...path, "class"],
          problem: `${rule.class} is not one of artefact.classes (${classes.join(", ")})`,
          fix: "name one of artefact.classes",
        });
      } else if (!rates.every((r) => (ONE_VS_REST_RATES as readonly string[]).includes(r))) {
        out.push({
          path: [...path, "fairness"],
          problem: `${metric} is not a rate of one class against the rest`,
          fix: `compare demographic_parity, equal_opportunity, equalized_odds or one of ${ONE_VS_REST_RATES.join(", ")}`,
        });
      }
      if ((rule["max-gap"] === undefined) === (rule["min-ratio"] === undefined)) {
        out.push({ path, problem: "expected exactly one of max-gap or min-ratio", fix: "keep one of them" });
      }
      requireSliced(rule.across, [...path, "across"]);
      return;
    }
    if (criterion && m.evaluation) {
      const missing = criterion.filter((c) => !computed.includes(c));
      if (m.task !== "binary") {
        // The criteria's rates are of a yes/no decision; other tasks compare their own metrics.
        const example =
          m.task === "multiclass"
            ? `accuracy, across: region, max-gap: 0.05 }, or one class against the rest: { fairness: ${metric}, class: ${m.artefact.classes?.[0] ?? "<class>"}, across: region, max-gap: 0.1`
            : "mae, across: region, max-gap: 2";
        out.push({
          path: [...path, metricKey],
          problem: `${metric} compares the rates of a binary decision (${criterion.join(" and ")}), and this model is ${m.task}; a ${m.task} model's fairness rule compares a ${m.task} metric between groups`,
          fix: `compare one of ${metricsForTask(m.task).join(", ")} between groups, e.g. { fairness: ${example} }`,
        });
      } else if (missing.length > 0) {
        out.push({
          path: [...path, metricKey],
          problem: `${metric} compares ${criterion.join(" and ")}, not computed by evaluation.metrics`,
          fix: `add ${missing.join(", ")} to evaluation.metrics`,
        });
      }
    } else if (!m.evaluation) {
      out.push({
        path: [...path, metricKey],
        problem: "no metric is computed: the evaluation section is missing",
        fix: `add an evaluation section whose metrics include ${metric}`,
      });
    } else if (Object.hasOwn(m.evaluation["custom-metrics"] ?? {}, metric)) {
      // A custom metric is computed whenever it is defined.
    } else if (!(metricsForTask(m.task) as readonly string[]).includes(metric)) {
      // Adding it to evaluation.metrics would only move the error there.
      out.push({
        path: [...path, metricKey],
        problem: `${metric} is not a ${m.task} metric`,
        fix: `use a ${m.task} metric: ${metricsForTask(m.task).join(", ")}${m.evaluation["custom-metrics"] ? `, or a custom metric: ${Object.keys(m.evaluation["custom-metrics"]).join(", ")}` : ""}`,
      });
    } else if (!computed.includes(metric)) {
      out.push({
        path: [...path, metricKey],
        problem: `${metric} is not computed by evaluation.metrics`,
        fix: `add ${metric} to evaluation.metrics, or use one of ${computed.join(", ")}`,
      });
    }
    if ("fairness" in rule) {
      if ((rule["max-gap"] === undefined) === (rule["min-ratio"] === undefined)) {
        out.push({ path, problem: "expected exactly one of max-gap or min-ratio", fix: "keep one of them" });
      }
      requireSliced(rule.across, [...path, "across"]);
      return;
    }
    if (Array.isArray(rule.slices)) {
      rule.slices.forEach((column, j) => {
        requireSliced(column, [...path, "slices", j]);
      });
    }
    if ("vs" in rule) {
      if ((rule["max-drop"] === undefined) === (rule["max-drop-relative"] === undefined)) {
        out.push({
          path,
          problem: "expected exactly one of max-drop or max-drop-relative",
          fix: "keep one of them",
        });
      }
      const supplied = m.evaluation?.predictions;
      if (supplied && supplied.baseline === undefined) {
        out.push({
          path: [...path, "vs"],
          problem:
            "nothing to compare against: the scores are supplied and evaluation.predictions.baseline is not set",
          fix: "supply the baseline's scores in evaluation.predictions.baseline",
        });
      } else if (!supplied && m.evaluation && m.evaluation.baseline === undefined) {
        out.push({
          path: [...path, "vs"],
          problem: "nothing to compare against: evaluation.baseline is not set",
          fix: "set evaluation.baseline, e.g. baseline: production",
        });
      }
      return;
    }
    if (rule.min === undefined && rule.max === undefined) {
      out.push({ path, problem: "expected min or max", fix: `add min: or max: for ${rule.metric}` });
    } else if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
      out.push({ path, problem: `min ${rule.min} is above max ${rule.max}`, fix: "swap them" });
    }
  });
  return out;
}
