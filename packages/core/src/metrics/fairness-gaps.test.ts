import { describe, expect, it } from "vitest";
import { evaluate } from "../bootstrap/evaluate.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import type { MetricName } from "../manifest/metric-names.js";
import type { Column } from "../table/column.js";
import { fairnessMetrics } from "./fairness-gaps.js";

// Four regions, QA with 4 rows (suppressed at min-slice-size 5). Reference values from
// scikit-learn 1.2.1, per group g: pred = s >= 0.5; tn, fp, fn, tp = m.confusion_matrix(y[g], pred[g]).ravel();
// selection rate pred[g].mean(), TPR m.recall_score(y[g], pred[g]), FPR fp / (fp + tn); gap = max − min,
// ratio = min / max over AE, SA, EG; equalized odds: the larger gap and the smaller ratio of TPR and FPR
// (fairlearn's equalized_odds_difference / _ratio).
const labels = [
  0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1,
  0, 1, 1, 0,
];
const scores = [
  0.29, 0.52, 0.15, 0.56, 0.87, 0.68, 0.68, 0.5, 0.36, 0.61, 0.06, 0.9, 0.59, 0.62, 0.26, 0.61, 0.71, 0.16,
  0.48, 0.79, 0.44, 0.65, 0.14, 0.77, 0.07, 0.45, 0.76, 0.24, 0.52, 0.48, 0.25, 0.87, 0.25, 0.81, 0.75, 0.96,
  0.64, 0.82, 0.88, 0.1,
];
const region = [
  ...Array<string>(16).fill("AE"),
  ...Array<string>(14).fill("SA"),
  ...Array<string>(4).fill("QA"),
  ...Array<string>(6).fill("EG"),
];
const EXPECTED = {
  demographic_parity: { gap: 0.4047619047619048, ratio: 0.5142857142857142 },
  equal_opportunity: { gap: 0.16666666666666663, ratio: 0.8333333333333334 },
  fpr: { gap: 0.375, ratio: 0.25 },
  equalized_odds: { gap: 0.375, ratio: 0.25 },
};

function run(metrics: MetricName[], bootstrap: number) {
  const n = labels.length;
  const sliceColumns = new Map<string, Column>([
    ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
  ]);
  return evaluate({
    task: "binary",
    labels: Float64Array.from(labels),
    scores: Float64Array.from(scores),
    rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`row-${i}`)),
    sliceColumns,
    specs: ["region"],
    metrics,
    minSliceSize: 5,
    bootstrap,
    seed: 3,
    fairness: Object.keys(EXPECTED).map((criterion) => ({ across: "region", criterion })),
  });
}

describe("fairnessGaps", () => {
  it("gaps and ratios of selection rate, TPR and FPR across groups match scikit-learn", () => {
    const result = run(["roc_auc", "selection_rate", "recall", "fpr"], 0);
    for (const [criterion, expected] of Object.entries(EXPECTED)) {
      const gap = result.fairness?.find((f) => f.criterion === criterion);
      expect(gap, criterion).toBeDefined();
      expect(gap!.gap.value).toBeCloseTo(expected.gap, 12);
      expect(gap!.ratio.value).toBeCloseTo(expected.ratio, 12);
      expect(gap!.gap.ci).toBeNull();
      // The suppressed group is named, never compared.
      expect(gap!.groups.sort()).toEqual(["AE", "EG", "SA"]);
      expect(gap!.leftOut).toEqual([{ group: "QA", why: "suppressed" }]);
    }
  });
  it("recomputes every gap per replicate: intervals contain the point and stay in range", () => {
    const result = run(["selection_rate", "recall", "fpr"], 400);
    for (const f of result.fairness!) {
      expect(f.gap.ci, f.criterion).not.toBeNull();
      const [low, high] = f.gap.ci!;
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1);
      expect(low).toBeLessThanOrEqual(f.gap.value!);
      expect(high).toBeGreaterThanOrEqual(f.gap.value!);
      expect(high - low).toBeGreaterThan(0);
    }
    const odds = result.fairness!.find((f) => f.criterion === "equalized_odds")!;
    const fpr = result.fairness!.find((f) => f.criterion === "fpr")!;
    // Equalized odds' gap is at least the FPR gap in every replicate, so its interval is too.
    expect(odds.gap.ci![0]).toBeGreaterThanOrEqual(fpr.gap.ci![0] - 1e-12);
  });
  it("skips a criterion whose metrics were not computed, and draws each metric once", () => {
    const result = run(["roc_auc", "recall"], 0);
    expect(result.fairness!.map((f) => f.criterion)).toEqual(["equal_opportunity"]);
    expect(
      fairnessMetrics(
        [{ criterion: "equalized_odds" }, { criterion: "equal_opportunity" }],
        ["roc_auc", "recall", "fpr"],
      ),
    ).toEqual(["recall", "fpr"]);
  });
});

describe("fairness replicates", () => {
  it("are the same numbers whether drawn on the confusion counts, the full pass or apart from the evaluation's", () => {
    let s = 21;
    const rnd = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const data = (n: number) => {
      const y = Float64Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0));
      const p = y.map((v, i) => Math.round((0.25 * v + (i % 2) * 0.05 + rnd() * 0.7) * 100) / 100);
      return { n, y, p, group: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? "A" : "B")) };
    };
    const run = (d: ReturnType<typeof data>, metrics: MetricName[], criterion: string) =>
      evaluate({
        task: "binary",
        labels: d.y,
        scores: d.p,
        rowIds: Uint32Array.from({ length: d.n }, (_, i) => rowIdHash(`g-${i}`)),
        sliceColumns: new Map<string, Column>([
          ["group", { kind: "category", values: d.group, nulls: new Uint8Array(d.n) }],
        ]),
        specs: ["group"],
        metrics,
        bootstrap: 200,
        seed: 11,
        fairness: [{ across: "group", criterion }],
      });
    // 900 rows: every group and metric bootstrapped, and the gaps reuse the evaluation's replicates
    // — on the confusion counts alone (selection_rate) or on the full pass (with roc_auc).
    const small = data(900);
    const counts = run(small, ["selection_rate"], "demographic_parity");
    const full = run(small, ["selection_rate", "roc_auc"], "demographic_parity");
    expect(counts.overall.intervals).toBe("bootstrap");
    expect(counts.fairness![0]!.gap.ci).not.toBeNull();
    expect(counts.fairness![0]).toEqual(full.fairness![0]);
    expect(counts.overall.metrics.selection_rate).toEqual(full.overall.metrics.selection_rate);
    // 10,000 rows: recall Gaussian everywhere, f1_max (no influence function) bootstrapped, so the
    // gaps draw their own replicates — the same whether the evaluation drew any.
    const large = data(10_000);
    const mixed = run(large, ["recall", "f1_max"], "equal_opportunity");
    const gaussian = run(large, ["recall"], "equal_opportunity");
    expect(mixed.overall.intervals).toBe("mixed");
    expect(mixed.overall.metrics.recall!.intervals).toBe("gaussian");
    expect(gaussian.overall.intervals).toBe("gaussian");
    expect(mixed.fairness![0]!.gap.value).toBeGreaterThan(0);
    expect(mixed.fairness![0]).toEqual(gaussian.fairness![0]);
  });
});
