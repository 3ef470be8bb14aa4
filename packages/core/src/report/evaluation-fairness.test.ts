import { describe, expect, it } from "vitest";
import type { EvaluationResult } from "./evaluation-result.js";
import { renderEvaluationSection } from "./evaluation-section.js";

function result(): EvaluationResult {
  const v = (value: number, ci: [number, number] | null = [value - 0.02, value + 0.02]) => ({ value, ci });
  return {
    schema: "gauntlet/evaluation@1",
    model: { name: "churn", version: "1.3.0", sha256: "ab".repeat(32) },
    task: "binary",
    metrics: ["value", "value_max", "threshold_value", "recall", "fpr"],
    data: { source: "data/eval.csv", files: ["data/eval.csv"] },
    rows: 1000,
    confidence: 0.95,
    bootstrap: { replicates: 200, seed: 7 },
    threshold: 0.5,
    minSliceSize: 30,
    status: "pass",
    regressions: 0,
    overall: {
      n: 1000,
      metrics: {
        value: v(12.5, [10.1, 14.9]),
        value_max: v(20.25),
        threshold_value: v(0.35),
        recall: v(0.7),
        fpr: v(0.2),
      },
    },
    slices: [],
    baseline: null,
    baselineNote: "first version",
    fairness: [
      {
        across: "region",
        criterion: "equalized_odds",
        groups: ["AE", "<b>@team</b>"],
        leftOut: [{ group: "QA", why: "suppressed" }],
        gap: v(0.12, [0.05, 0.2]),
        ratio: { value: 0.8, ci: null },
      },
    ],
    timings: { readMs: 1, scoreMs: 1, metricsMs: 1, bootstrapMs: 1, renderMs: 0 },
  };
}

describe("operating-point and fairness rendering", () => {
  const text = renderEvaluationSection(result());
  it("marks metrics chosen on the data with † and says they are optimistic", () => {
    expect(text).toContain("| value ↑ | 12.500 [10.100, 14.900] |");
    expect(text).toContain("| value_max † ↑ |");
    // A threshold is better neither higher nor lower: no arrow.
    expect(text).toContain("| threshold_value † | 0.350 [0.330, 0.370] |");
    expect(text).toContain("† Chosen on these rows: value_max, threshold_value are read at the threshold");
    expect(text).toContain("optimistic for new data");
  });
  it("tables each fairness criterion with its gap and ratio, escaping group names", () => {
    expect(text).toContain("#### Fairness between groups");
    expect(text).toContain("| equalized\\_odds | region | 0.120 [0.050, 0.200] | 0.800 |");
    expect(text).toContain("QA \\(suppressed\\)");
    expect(text).not.toContain("<b>");
    expect(text).not.toMatch(/(^|[^`\\])@team/);
  });
  it("names the adjusted intervals a fairness rule with confidence is judged on", () => {
    const base = result();
    const gap = {
      value: 0.12,
      ci: [0.05, 0.2] as [number, number],
      ciAdjusted: [0.04, 0.22] as [number, number],
    };
    const ratio = {
      value: 0.8,
      ci: [0.7, 0.9] as [number, number],
      ciAdjusted: [0.68, 0.93] as [number, number],
    };
    const adjustment = { method: "bonferroni" as const, level: 0.95, family: 2, perInterval: 0.975 };
    const out = renderEvaluationSection({
      ...base,
      fairness: [{ ...base.fairness![0]!, gap, ratio, adjustment }],
    });
    expect(out).toContain(
      "The gate judges its 2 fairness rules with `confidence:` on intervals adjusted across them (Bonferroni, each at 97.5%): equalized\\_odds across region: gap 0.120 [0.040, 0.220], ratio 0.800 [0.680, 0.930].",
    );
    expect(text).not.toContain("adjusted across them");
  });

  it("says nothing of either when there is nothing to say", () => {
    const plain = { ...result(), metrics: ["value" as const], fairness: [] };
    const out = renderEvaluationSection(plain);
    expect(out).not.toContain("Chosen on these rows");
    expect(out).not.toContain("Fairness between groups");
  });
});

describe("custom metrics rendering", () => {
  it("tables each custom metric with its expression, value and interval", () => {
    const base = result();
    const withCustom: EvaluationResult = {
      ...base,
      overall: {
        ...base.overall,
        metrics: {
          ...base.overall.metrics,
          net_value: { value: 8.25, ci: [7.5, 9] },
        } as typeof base.overall.metrics,
      },
      custom: {
        net_value: { from: "counts", expression: "(tp * 120 - fp * 15) / n", direction: "higher" },
        abs_error: { from: "rows", expression: "abs(label - score)", direction: "lower" },
      },
    };
    const text = renderEvaluationSection(withCustom);
    expect(text).toContain("#### Custom metrics");
    expect(text).toContain("| net\\_value ↑ | `(tp * 120 - fp * 15) / n` | 8.250 [7.500, 9.000] |");
    // Not computed (no value recorded): shown as —.
    expect(text).toContain("| abs\\_error ↓ | mean over rows of `abs(label - score)` | — |");
  });
});
