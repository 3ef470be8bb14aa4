import { describe, expect, it } from "vitest";
import { evaluate } from "../bootstrap/evaluate.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import type { MetricName } from "../manifest/metric-names.js";
import { missingOperatingParameter } from "./operating-metrics.js";
import type { OperatingSpec } from "./operating-point.js";
import { prepareBinaryPass } from "./prepare-binary-pass.js";
import { METRICS } from "./registry.js";

const TOL = 1e-9;

// The twelve rows of metrics.test.ts. Reference values from scikit-learn 1.2.1, produced by:
//   pred = (s >= 0.5); tn, fp, fn, tp = m.confusion_matrix(y, pred, sample_weight=w).ravel(); n = w.sum()
//   selection_rate = (w*pred).sum()/n; fpr = fp/(fp+tn); value = (tp*120 + fp*-15 + fn*-120 + tn*0)/n
//   for t in [inf] + distinct scores descending: value and m.f1_score(y, s >= t, sample_weight=w, zero_division=0);
//     value_max/f1_max = max, threshold_* = the first t reaching it
//   pr, rc, _ = m.precision_recall_curve(y, s, sample_weight=w); recall_at_precision = rc[pr >= 0.6].max()
//   fpr_c, tpr_c, _ = m.roc_curve(y, s, sample_weight=w, drop_intermediate=False); fpr_at_tpr = fpr_c[np.argmax(tpr_c >= 0.8)]
//   precision_at_k (k = 5): positives among the 5 (by weight) top-scored rows, a straddling tie pro rata, / 5
const y = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
const s = [0.1, 0.4, 0.5, 0.8, 0.4, 0.4, 0.05, 0.9, 0.65, 0.65, 1.0, 0.0];
const w = [1, 2, 0.5, 1.5, 1, 3, 1, 0.25, 2, 1, 1, 0.7];
const operating: OperatingSpec = {
  costs: { tp: 120, fp: -15, fn: -120, tn: 0 },
  minPrecision: 0.6,
  targetTpr: 0.8,
  k: 5,
};
const EXPECTED: Record<"unweighted" | "weighted", Record<string, number>> = {
  unweighted: {
    selection_rate: 0.5,
    fpr: 0.3333333333333333,
    value: 17.5,
    value_max: 56.25,
    threshold_value: 0.4,
    f1_max: 0.8,
    threshold_f1: 0.4,
    recall_at_precision: 1.0,
    fpr_at_tpr: 0.5,
    precision_at_k: 0.6,
  },
  weighted: {
    selection_rate: 0.4180602006688963,
    fpr: 0.30487804878048785,
    value: 3.5117056856187294,
    value_max: 48.662207357859536,
    threshold_value: 0.4,
    f1_max: 0.7105263157894737,
    threshold_f1: 0.4,
    recall_at_precision: 0.5555555555555556,
    fpr_at_tpr: 0.6707317073170732,
    precision_at_k: 0.55,
  },
};
const NAMES = Object.keys(EXPECTED.unweighted) as MetricName[];

function expectClose(actual: number | null, expected: number) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
}

describe("operating-point and cost metrics match scikit-learn", () => {
  for (const variant of ["unweighted", "weighted"] as const) {
    for (const [name, expected] of Object.entries(EXPECTED[variant])) {
      it(`${name} (${variant})`, () => {
        const options = { threshold: 0.5, operating, ...(variant === "weighted" ? { weights: w } : {}) };
        expectClose(METRICS[name as MetricName].compute(y, s, options).value, expected);
      });
    }
  }

  it("integer weights equal repeating rows", () => {
    const counts = [2, 0, 1, 3, 1, 1, 0, 2, 1, 1, 1, 2];
    const ry = y.flatMap((v, i) => Array(counts[i]).fill(v));
    const rs = s.flatMap((v, i) => Array(counts[i]).fill(v));
    for (const name of NAMES) {
      const repeated = METRICS[name].compute(ry, rs, { operating }).value!;
      expectClose(METRICS[name].compute(y, s, { operating, weights: counts }).value, repeated);
    }
  });

  it("gives each group of a pass exactly what its rows alone give", () => {
    let seed = 11;
    const rnd = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const n = 300;
    const labels = Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
    const scores = Array.from({ length: n }, () => Math.round(rnd() * 30) / 30);
    const weights = Array.from({ length: n }, () => Math.floor(rnd() * 3));
    const groupOf = new Uint32Array(n).map(() => Math.floor(rnd() * 3));
    const spec = { ...operating, k: 20 };
    const pass = prepareBinaryPass({ labels, scores, groupIds: [groupOf], groups: 3 }, 0.5, spec);
    const out = new Float64Array(3 * pass.tallySize);
    pass.run(Float64Array.from(weights), out);
    for (let g = 0; g < 3; g++) {
      const idx = [...groupOf.keys()].filter((i) => groupOf[i] === g);
      for (const name of NAMES) {
        const alone = METRICS[name].compute(
          idx.map((i) => labels[i]!),
          idx.map((i) => scores[i]!),
          { weights: idx.map((i) => weights[i]!), operating: spec },
        );
        const grouped = METRICS[name].fromTally("binary", out, g * pass.tallySize, 2);
        expect(grouped.value).toBe(alone.value);
      }
    }
  });
});

describe("operating-point degenerate cases", () => {
  it("predicting nothing positive can be the best decision: value_max counts it, no threshold", () => {
    const costs = { tp: 1, fp: -10, fn: 0, tn: 0 };
    const options = { operating: { costs } };
    expect(METRICS.value_max.compute([0, 1, 0], [0.9, 0.2, 0.6], options).value).toBe(0);
    const threshold = METRICS.threshold_value.compute([0, 1, 0], [0.9, 0.2, 0.6], options);
    expect(threshold.value).toBeNull();
    expect(threshold.reason).toMatch(/every row negative/);
  });
  it("a tie in value picks the higher threshold", () => {
    // Cutting at 0.8 gains 1; cutting at 0.5 adds a positive (+1) and a negative (−1): the same value.
    const costs = { tp: 1, fp: -1, fn: 0, tn: 0 };
    expect(METRICS.threshold_value.compute([1, 1, 0], [0.8, 0.5, 0.5], { operating: { costs } }).value).toBe(
      0.8,
    );
  });
  it("precision_at_k is undefined when the rows weigh less than k, and shares a straddling tie", () => {
    expect(METRICS.precision_at_k.compute([1, 0], [0.9, 0.1], { operating: { k: 3 } }).value).toBeNull();
    // k = 2 cuts the tie of three rows at 0.5 (one positive) after the 0.9 positive: (1 + 1/3) / 2.
    expect(
      METRICS.precision_at_k.compute([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.5], { operating: { k: 2 } }).value,
    ).toBeCloseTo(2 / 3, 12);
  });
  it("without positives the curve metrics are undefined, f1_max is 0 by zero_division", () => {
    const options = { operating: { minPrecision: 0.5, targetTpr: 0.5 } };
    expect(METRICS.recall_at_precision.compute([0, 0], [0.3, 0.7], options).value).toBeNull();
    expect(METRICS.fpr_at_tpr.compute([0, 0], [0.3, 0.7], options).value).toBeNull();
    expect(METRICS.f1_max.compute([0, 0], [0.3, 0.7], options)).toMatchObject({ value: 0 });
    expect(METRICS.fpr.compute([1, 1], [0.3, 0.7]).value).toBeNull();
  });
  it("no precision reached: recall at that precision is 0, the end of the curve", () => {
    expect(
      METRICS.recall_at_precision.compute([0, 1, 0], [0.9, 0.5, 0.1], { operating: { minPrecision: 0.9 } })
        .value,
    ).toBe(0);
  });
  it("names the manifest field a metric's parameter comes from", () => {
    expect(
      missingOperatingParameter(["roc_auc", "precision_at_k"], { costs: operating.costs! }),
    ).toMatchObject({
      metric: "precision_at_k",
      field: "evaluation.operating-point.k",
    });
    expect(missingOperatingParameter(["value_max"], {})?.field).toBe("evaluation.costs");
    expect(missingOperatingParameter(["value", "fpr_at_tpr"], operating)).toBeUndefined();
  });
});

describe("operating-point intervals", () => {
  it("are recomputed per replicate, contain their point and stay in range, even at n = 20", () => {
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      let state = seed;
      const rnd = () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 2 ** 32;
      };
      const n = [20, 40, 120][seed % 3]!;
      const labels = Float64Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
      const noisy = (shift: number) =>
        labels.map((y) => Math.round((shift * y + rnd()) * 20) / 20 / (1 + shift));
      const e = evaluate({
        task: "binary",
        labels,
        scores: noisy(0.8),
        baselineScores: noisy(0.4),
        rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r${i}`)),
        sliceColumns: new Map(),
        specs: [],
        metrics: [...NAMES],
        operating: { ...operating, k: Math.floor(n / 4) },
        bootstrap: 200,
        seed,
      });
      for (const [group, delta] of [
        [e.overall.metrics, false],
        [e.baseline!.overall.metrics, false],
        [e.baseline!.overall.delta, true],
      ] as const) {
        for (const name of NAMES) {
          const r = group[name];
          if (!r || r.value === null || !r.ci) continue;
          const [lo, hi] = METRICS[name].range;
          const [low, high] = delta ? [lo - hi, hi - lo] : [lo, hi];
          expect(r.ci[0], `${name} seed ${seed}`).toBeLessThanOrEqual(r.value);
          expect(r.ci[1], `${name} seed ${seed}`).toBeGreaterThanOrEqual(r.value);
          expect(r.ci[0]).toBeGreaterThanOrEqual(low!);
          expect(r.ci[1]).toBeLessThanOrEqual(high!);
          checked++;
        }
      }
      // value's interval is not a single point: the replicates really recompute it.
      const v = e.overall.metrics.value!;
      expect(v.ci![1] - v.ci![0], `seed ${seed}`).toBeGreaterThan(0);
    }
    expect(checked).toBeGreaterThan(250);
  });
});
