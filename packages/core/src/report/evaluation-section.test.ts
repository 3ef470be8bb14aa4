import { describe, expect, it } from "vitest";
import type { MetricResult, SliceResult } from "../results/evaluation.js";
import { formatNumber, formatWithInterval } from "./evaluation-format.js";
import { findRegressions, isSignificantRegression } from "./evaluation-regressions.js";
import { classifyBaselineReference, type EvaluationResult } from "./evaluation-result.js";
import { renderEvaluationSection } from "./evaluation-section.js";

// Deltas carry the simultaneous interval that decides significance; these fixtures give it the
// per-change interval unless a test says otherwise.
const m = (
  value: number,
  ci: [number, number] | null = [value - 0.02, value + 0.02],
  ciAdjusted: [number, number] | null = ci,
): MetricResult => ({ value, ci, ciAdjusted });

function slice(region: string, n: number, auc: number, loss: number): SliceResult {
  return { key: { region }, n, suppressed: false, metrics: { roc_auc: m(auc), log_loss: m(loss) } };
}

function result(options: { baseline?: boolean; slices?: number; hostile?: string } = {}): EvaluationResult {
  const regions = Array.from({ length: options.slices ?? 3 }, (_, i) =>
    i === 0 ? (options.hostile ?? "MA") : `R${i}`,
  );
  const slices = [
    ...regions.map((r, i) => slice(r, 100 + i, 0.8 - (i === 0 ? 0.1 : 0), 0.4)),
    { key: { region: "QA" }, n: "< 30" as const, suppressed: true, metrics: {} },
  ];
  const base: EvaluationResult = {
    schema: "gauntlet/evaluation@1",
    model: { name: "churn", version: "1.3.0", sha256: "ab".repeat(32) },
    task: "binary",
    metrics: ["roc_auc", "log_loss"],
    data: { source: "data/eval.csv", files: ["data/eval.csv"] },
    rows: 1000,
    confidence: 0.95,
    bootstrap: { replicates: 200, seed: 7 },
    threshold: 0.5,
    minSliceSize: 30,
    status: "pass",
    regressions: 0,
    overall: { n: 1000, metrics: { roc_auc: m(0.81), log_loss: m(0.45) } },
    slices,
    baseline: null,
    baselineNote: "churn/production does not exist yet, so this is the first version of churn",
    timings: { readMs: 1, scoreMs: 1, metricsMs: 1, bootstrapMs: 1, renderMs: 0 },
  };
  if (!options.baseline) return base;
  const delta = (i: number) =>
    i === 0
      ? { roc_auc: m(-0.08, [-0.12, -0.04]), log_loss: m(0.01, [-0.01, 0.03]) }
      : { roc_auc: m(0.01), log_loss: m(-0.01) };
  return {
    ...base,
    baselineNote: undefined,
    baseline: {
      source: {
        kind: "alias",
        reference: "production",
        version: "1.2.0",
        release: "churn v1.2.0",
        asset: "churn.onnx",
      },
      model: { name: "churn", version: "1.2.0", sha256: "cd".repeat(32) },
      overall: {
        n: 1000,
        metrics: { roc_auc: m(0.8), log_loss: m(0.46) },
        delta: { roc_auc: m(0.01), log_loss: m(0.01, [0.005, 0.02]) },
      },
      slices: slices.map((s, i) => ({ ...s, delta: s.suppressed ? {} : delta(i) })),
      adjustment: { method: "sup-t", confidence: 0.95, comparisons: 8, critical: 2.73 },
    },
  };
}

describe("isSignificantRegression and findRegressions", () => {
  it("reads the bad side from the metric's direction and needs an interval", () => {
    expect(isSignificantRegression("roc_auc", m(-0.05, [-0.08, -0.01]))).toBe(true);
    expect(isSignificantRegression("roc_auc", m(-0.05, [-0.08, 0.01]))).toBe(false);
    expect(isSignificantRegression("log_loss", m(0.05, [0.01, 0.08]))).toBe(true);
    expect(isSignificantRegression("log_loss", m(-0.05, [-0.08, -0.01]))).toBe(false);
    expect(isSignificantRegression("roc_auc", m(-0.5, null))).toBe(false);
    expect(isSignificantRegression("roc_auc", undefined)).toBe(false);
    // The per-change interval alone never decides: only the simultaneous one does.
    expect(isSignificantRegression("roc_auc", m(-0.05, [-0.08, -0.01], [-0.09, 0.002]))).toBe(false);
    expect(isSignificantRegression("roc_auc", { value: -0.05, ci: [-0.08, -0.01] })).toBe(false);
  });

  it("lists overall first, then slices, skipping suppressed ones", () => {
    const found = findRegressions(result({ baseline: true }).baseline, ["roc_auc", "log_loss"]);
    expect(found.map((r) => [r.slice, r.metric])).toEqual([
      [null, "log_loss"],
      [{ region: "MA" }, "roc_auc"],
    ]);
  });
});

describe("formatting", () => {
  it("rounds, signs and never shows a negative zero", () => {
    expect(formatNumber(0.81234)).toBe("0.812");
    expect(formatNumber(-0.0001, true)).toBe("0.000");
    expect(formatNumber(0.02, true)).toBe("+0.020");
    expect(formatNumber(-0.02)).toBe("−0.020");
    expect(formatNumber(1234.56)).toBe("1234.6");
    expect(formatWithInterval({ value: null, ci: null, reason: "one class" })).toBe("—");
    expect(formatWithInterval(m(-0.08, [-0.12, 0.01]), true)).toBe("−0.080 [−0.120, +0.010]");
  });
});

describe("classifyBaselineReference", () => {
  it("tells paths, versions and aliases apart", () => {
    expect(classifyBaselineReference("models/churn/old.onnx").kind).toBe("path");
    expect(classifyBaselineReference("old.onnx").kind).toBe("path");
    expect(classifyBaselineReference("v1.2.0")).toEqual({
      kind: "version",
      reference: "v1.2.0",
      value: "1.2.0",
    });
    expect(classifyBaselineReference("1.2.0-rc.1").value).toBe("1.2.0-rc.1");
    expect(classifyBaselineReference("production").kind).toBe("alias");
  });
});

describe("renderEvaluationSection", () => {
  it("marks the slice regression, sorts worst first, lists suppressed slices and draws the chart", () => {
    const text = renderEvaluationSection(result({ baseline: true }));
    expect(text).toMatch(/^### Evaluation\n/);
    expect(text).toContain(
      "**2 significant regressions** (metric × group; 1 in roc_auc) against churn v1.2.0 (alias production)",
    );
    expect(text).toContain(
      "Significance is controlled across all 8 metric × group changes: simultaneous 95% intervals (sup-t, ±2.73 standard errors; one change alone would use ±1.96)",
    );
    const rows = text.split("\n").filter((l) => l.startsWith("| region"));
    expect(rows[0]).toMatch(/^\| region\\=MA \| 100 \| 0\.700 .* \| −0\.080 \[−0\.120, −0\.040\] \| 🔻 \|$/);
    expect(text).toContain(
      "| log_loss ↓ | 0.450 [0.430, 0.470] | 0.460 [0.440, 0.480] | +0.010 [+0.005, +0.020] | 🔻 |",
    );
    expect(text).toContain("Suppressed (fewer than 30 rows, no metrics): region\\=QA (&lt; 30)");
    expect(text).toContain('x-axis "slice" ["MA", "R1", "R2"]');
    expect(text).toContain("line [0.7, 0.8, 0.8]");
    expect(text).toContain("<details><summary>All metrics by region (3 slices)</summary>");
  });

  it("says why there is no baseline and shows candidate columns only", () => {
    const text = renderEvaluationSection(result());
    expect(text).toContain("no baseline to compare with — churn/production does not exist yet");
    expect(text).toContain("| Metric | Candidate |");
    expect(text).not.toContain("Δ");
    expect(text).not.toContain("line [");
  });

  it("escapes hostile slice values in tables and in the chart", () => {
    const text = renderEvaluationSection(result({ baseline: true, hostile: '@everyone <img src=x>"] | `' }));
    expect(text).not.toMatch(/(^|[^\u2060])@everyone/);
    expect(text).not.toContain("<img");
    const chart = text.slice(text.indexOf("```mermaid"), text.lastIndexOf("```"));
    const labels = /x-axis "slice" \[(.*)\]/.exec(chart)![1]!;
    expect(labels.split('", "')).toHaveLength(3);
    expect(labels).not.toMatch(/[<>[\]`]/);
  });

  it("stays within its size by listing fewer slices, and says so", () => {
    const text = renderEvaluationSection(result({ baseline: true, slices: 600 }), { maxChars: 20_000 });
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(text).toMatch(/…and \d+ more slices not shown here \(all are in evaluation\.json\)/);
    expect(text).toContain("Only the 20 worst of 600 slices are drawn.");
    expect(text.split("```").length).toBe(3);
  });
});

describe("sample weights in the report", () => {
  function weighted(options: { baseline?: boolean } = {}): EvaluationResult {
    const plain = result(options);
    const slices = plain.slices.map((s, i) => (s.suppressed ? s : { ...s, weight: 50.5 + i }));
    return {
      ...plain,
      weightColumn: "w`eight",
      overall: { ...plain.overall, weight: 987.25 },
      slices,
    };
  }

  it("says which column weighted the rows and gives each total weight beside n", () => {
    const text = renderEvaluationSection(weighted({ baseline: true }));
    expect(text).toContain("1000 rows from data/eval.csv, weighted by `` w`eight `` (total weight 987.3) · ");
    expect(text).toContain("| Slice | n | weight | roc_auc | Baseline | Δ | |\n| --- | --- | --- | --- |");
    expect(text).toContain("| region\\=R1 | 101 | 51.500 | ");
    // The details blocks carry the weight too; suppressed slices show their `< k` size only.
    expect(text).toContain("| Slice | n | weight | roc_auc | log_loss |");
    expect(text).toContain("Suppressed (fewer than 30 rows, no metrics): region\\=QA (");
    expect(text).not.toMatch(/region\\=QA \| /);
  });

  it("leaves the weight out when every row weighed 1", () => {
    const text = renderEvaluationSection(result());
    expect(text).not.toContain("weight");
    expect(text).toContain("| Slice | n | roc_auc |");
  });
});
