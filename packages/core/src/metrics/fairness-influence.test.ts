import { describe, expect, it } from "vitest";
import { bootstrapMetrics } from "../bootstrap/bootstrap-metrics.js";
import { evaluate } from "../bootstrap/evaluate.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { fairnessRuleCheck } from "../gate/fairness-rule.js";
import type { EvaluationFile } from "../gate/result-files.js";
import type { MetricName } from "../manifest/metric-names.js";
import { createRng } from "../random/rng.js";
import { normalQuantile } from "../stats/normal.js";
import type { Column } from "../table/column.js";
import { pairwiseDecision } from "./fairness-decision.js";
import { GAP_SEPARATION, gapMoments, pickClear } from "./fairness-influence.js";
import { maxTCritical } from "./fairness-max-t.js";

const REGIONS = ["AE", "SA", "EG"];
const METRICS: MetricName[] = ["roc_auc", "selection_rate", "recall", "fpr"];
const Z = normalQuantile(0.975);

/**
 * 3 regions of `perRegion` rows, prevalence 0.5 (over 1,000 positives and negatives each at 2,400
 * rows), latent scores shifted per region by `shift[r]` (1.2 × for positives, 0.6 × for
 * negatives), so that the regions' rates differ — at shifts −1 / 0 / 1 TPR ≈ 0.33 / 0.77 / 0.97 and
 * FPR ≈ 0.09 / 0.23 / 0.44, TPR's gap and FPR's ratio clearly the extreme ones — or not.
 */
function data(perRegion: number, shift: readonly number[], seed: number, weighted: boolean) {
  const g = createRng(seed);
  const n = 3 * perRegion;
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const weights = new Float64Array(n);
  const region: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = i % 3;
    const y = g.next() < 0.5 ? 1 : 0;
    labels[i] = y;
    scores[i] = 1 / (1 + Math.exp(-(g.normal() + 1.5 * y - 0.75 + shift[r]! * (y === 1 ? 1.2 : 0.6))));
    weights[i] = weighted ? 0.5 + 1.5 * g.next() : 1;
    region.push(REGIONS[r]!);
  }
  return { labels, scores, weights, region };
}

function run(
  d: ReturnType<typeof data>,
  weighted: boolean,
  extra: Partial<Parameters<typeof evaluate>[0]> = {},
) {
  const n = d.labels.length;
  return evaluate({
    task: "binary",
    labels: d.labels,
    scores: d.scores,
    ...(weighted ? { weights: d.weights } : {}),
    rowIds: Uint32Array.from({ length: n }, (_, i) => rowIdHash(`fi-${i}`)),
    sliceColumns: new Map<string, Column>([
      ["region", { kind: "category", values: d.region, nulls: new Uint8Array(n) }],
    ]),
    specs: ["region"],
    metrics: METRICS,
    bootstrap: 200,
    seed: 5,
    fairness: [
      { across: "region", criterion: "demographic_parity" },
      { across: "region", criterion: "equal_opportunity" },
      { across: "region", criterion: "equalized_odds" },
    ],
    ...extra,
  });
}

/**
 * The plain definition: each region's weighted selection rate, TPR and FPR at 0.5, and the criterion's
 * gap (highest − lowest; equalized odds the larger of TPR's and FPR's) and ratio (lowest / highest;
 * equalized odds the smaller), from per-region weighted sums.
 */
function criteria(d: ReturnType<typeof data>, w: Float64Array) {
  const sums = REGIONS.map(() => ({ n: 0, pp: 0, pos: 0, tp: 0, neg: 0, fp: 0 }));
  for (let i = 0; i < w.length; i++) {
    const s = sums[i % 3]!;
    const yhat = d.scores[i]! >= 0.5 ? 1 : 0;
    s.n += w[i]!;
    s.pp += w[i]! * yhat;
    if (d.labels[i] === 1) {
      s.pos += w[i]!;
      s.tp += w[i]! * yhat;
    } else {
      s.neg += w[i]!;
      s.fp += w[i]! * yhat;
    }
  }
  const spread = (v: number[]) => ({
    gap: Math.max(...v) - Math.min(...v),
    ratio: Math.min(...v) / Math.max(...v),
  });
  const dp = spread(sums.map((s) => s.pp / s.n));
  const tpr = spread(sums.map((s) => s.tp / s.pos));
  const fpr = spread(sums.map((s) => s.fp / s.neg));
  return {
    demographic_parity: dp,
    equal_opportunity: tpr,
    equalized_odds: { gap: Math.max(tpr.gap, fpr.gap), ratio: Math.min(tpr.ratio, fpr.ratio) },
  };
}

/** Σᵢ (wᵢ · ∂θ/∂wᵢ)² by central differences of the plain definition in each row's weight. */
function numericalVariance(d: ReturnType<typeof data>, w0: Float64Array) {
  const out = {
    demographic_parity: { gap: 0, ratio: 0 },
    equal_opportunity: { gap: 0, ratio: 0 },
    equalized_odds: { gap: 0, ratio: 0 },
  };
  const w = Float64Array.from(w0);
  const h = 1e-4;
  for (let i = 0; i < w.length; i++) {
    w[i] = w0[i]! + h;
    const up = criteria(d, w);
    w[i] = w0[i]! - h;
    const down = criteria(d, w);
    w[i] = w0[i]!;
    for (const c of Object.keys(out) as (keyof typeof out)[]) {
      out[c].gap += ((w0[i]! * (up[c].gap - down[c].gap)) / (2 * h)) ** 2;
      out[c].ratio += ((w0[i]! * (up[c].ratio - down[c].ratio)) / (2 * h)) ** 2;
    }
  }
  return out;
}

describe("fairness gaps by the delta method", () => {
  // Clearly different regions, every group over 1,000 of each class.
  for (const weighted of [false, true]) {
    it(`large clear groups take the delta method, se² = Σ (w ∂gap/∂w)² of the plain definition${weighted ? " (sample weights)" : ""}`, () => {
      const d = data(2400, [-1, 0, 1], 11, weighted);
      const result = run(d, weighted);
      const plain = criteria(d, d.weights);
      const variance = numericalVariance(d, d.weights);
      for (const criterion of ["demographic_parity", "equal_opportunity", "equalized_odds"] as const) {
        const f = result.fairness!.find((x) => x.criterion === criterion)!;
        for (const part of ["gap", "ratio"] as const) {
          const v = f[part];
          expect(v.intervals, `${criterion} ${part}`).toBe("gaussian");
          expect(v.value!).toBeCloseTo(plain[criterion][part], 12);
          const se = Math.sqrt(variance[criterion][part]);
          // Symmetric about the point (nowhere near 0 or 1 here): half-width z·se.
          expect(v.ci![1] - v.value!).toBeCloseTo(Z * se, 6);
          expect(v.value! - v.ci![0]).toBeCloseTo(Z * se, 6);
        }
      }
    });
  }

  it("draws no replicates of their own when every comparison is clear", () => {
    const d = data(2400, [-1, 0, 1], 11, false);
    let calls = 0;
    const counting: typeof bootstrapMetrics = (input) => {
      calls++;
      return bootstrapMetrics(input);
    };
    run(d, false, { runReplicates: counting });
    const withFairness = calls;
    calls = 0;
    run(d, false, { runReplicates: counting, fairness: [] });
    expect(withFairness).toBe(calls);
  });

  it("near ties (regions of the same law) stay on the bootstrap, whose interval is not below 0", () => {
    const d = data(2400, [0, 0, 0], 11, false);
    const result = run(d, false);
    for (const f of result.fairness!) {
      expect(f.gap.intervals, f.criterion).toBeUndefined();
      expect(f.gap.ci![0]).toBeGreaterThanOrEqual(0);
      expect(f.gap.ci![0]).toBeLessThanOrEqual(f.gap.value!);
    }
  });

  it("small groups stay on the bootstrap", () => {
    const d = data(300, [-1, 0, 1], 11, false);
    for (const f of run(d, false).fairness!) expect(f.gap.intervals).toBeUndefined();
  });
});

describe("gapMoments", () => {
  it("adds the highest and lowest groups' variances; the ratio by the delta method", () => {
    const m = gapMoments([
      { value: 0.2, variance: 1e-4 },
      { value: 0.45, variance: 4e-4 },
      { value: 0.3, variance: 1e-4 },
    ])!;
    expect(m.gap.value).toBeCloseTo(0.25, 15);
    expect(m.gap.se).toBeCloseTo(Math.sqrt(5e-4), 15);
    const r = 0.2 / 0.45;
    expect(m.ratio.value).toBeCloseTo(r, 15);
    expect(m.ratio.se).toBeCloseTo(Math.sqrt(1e-4 / 0.45 ** 2 + (r * r * 4e-4) / 0.45 ** 2), 15);
    expect(m.gap.clear && m.ratio.clear).toBe(true);
  });

  it("is undefined for one group, and not clear when the highest or lowest is within GAP_SEPARATION se of the next", () => {
    expect(gapMoments([{ value: 0.3, variance: 1e-4 }])).toBeUndefined();
    const se = Math.sqrt(2e-4);
    const near = GAP_SEPARATION * se * 0.99;
    const far = GAP_SEPARATION * se * 1.01;
    const two = (d: number) =>
      gapMoments([
        { value: 0.2, variance: 1e-4 },
        { value: 0.2 + d, variance: 1e-4 },
      ])!;
    expect(two(near).gap.clear).toBe(false);
    expect(two(far).gap.clear).toBe(true);
    // Three groups: the top two close, the bottom clear; then the bottom two close.
    const three = (values: number[]) => gapMoments(values.map((value) => ({ value, variance: 1e-4 })))!;
    expect(three([0.1, 0.4, 0.4 + near]).gap.clear).toBe(false);
    expect(three([0.1, 0.1 + near, 0.4]).ratio.clear).toBe(false);
    expect(three([0.1, 0.1 + far, 0.1 + 2 * far]).gap.clear).toBe(true);
  });

  it("pickClear takes the larger (smaller) value only when it is clear, and clear of the other", () => {
    const at = (value: number, se: number, clear = true) => ({ value, se, clear });
    expect(pickClear([at(0.05, 0.01, false), at(0.25, 0.01)], "larger")).toEqual(at(0.25, 0.01));
    expect(pickClear([at(0.8, 0.01), at(0.5, 0.02)], "smaller")).toEqual(at(0.5, 0.02));
    expect(pickClear([at(0.2, 0.01), at(0.21, 0.01)], "larger")).toBeUndefined();
    expect(pickClear([at(0.05, 0.01), at(0.25, 0.01, false)], "larger")).toBeUndefined();
  });
});

// Rows whose prediction is independent of the label: group g predicts positive with probability
// rates[g], so its selection rate, recall and false-positive rate are all rates[g] in truth.
function independentRows(n: number, rates: readonly number[], seed: string, weighted = false) {
  const g = createRng(seed);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const weights = new Float64Array(n);
  const region: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(g.next() * rates.length);
    labels[i] = g.next() < 0.4 ? 1 : 0;
    scores[i] = g.next() < rates[r]! ? 0.9 : 0.1;
    weights[i] = weighted ? 0.5 + 1.5 * g.next() : 1;
    region.push(REGIONS[r]!);
  }
  return { labels, scores, weights, region };
}

/** Both criteria recorded with `confidence: 0.95` (two rules with confidence in the report), at `maxGap` when given. */
const withRules = (seed: number, bootstrap = 200, maxGap?: number) => ({
  seed,
  bootstrap,
  confidence: 0.95,
  fairness: ["demographic_parity", "equalized_odds"].map((criterion) => ({
    across: "region",
    criterion,
    confidence: 0.95,
    ...(maxGap === undefined ? {} : { maxGap }),
  })),
});

const fails = (e: ReturnType<typeof run>, criterion: string, limit: number) =>
  fairnessRuleCheck(
    { fairness: criterion, across: "region", "max-gap": limit, confidence: 0.95 } as never,
    0,
    e as unknown as EvaluationFile,
  ).status === "fail";

describe("pairwiseDecision", () => {
  it("is the largest |d| − z·se with z the max-T value of the rule's rates at its limit (hand computation)", () => {
    const rates = [
      {
        rate: "recall",
        groups: [
          { group: "AE", value: 0.5, se: 0.014 },
          { group: "SA", value: 0.4, se: 0.014 },
        ],
      },
      {
        rate: "fpr",
        groups: [
          { group: "SA", value: 0.1, se: 0.02 },
          { group: "EG", value: 0.25, se: 0.0224 },
        ],
      },
    ];
    const d = pairwiseDecision(rates, 0.95, 2, 0.05)!;
    // Two independent pairs at α = 0.05 / 2 and max-gap 0.05.
    const z = maxTCritical(
      [
        [0.014, 0.014],
        [0.02, 0.0224],
      ],
      0.025,
      0.05,
    );
    expect(d.critical).toBe(z);
    expect(d.comparisons).toBe(4);
    expect(d.family).toBe(2);
    expect(d.limit).toBe(0.05);
    // scipy: norm.ppf(1 - 0.05 / 8) = 2.497705474412374 (Bonferroni, the decision before max-T).
    expect(d.bonferroni).toBeCloseTo(2.497705474412374, 8);
    expect(d.critical).toBeLessThan(d.bonferroni);
    // 0.15 − z·√(0.02² + 0.0224²) beats 0.1 − z·√2·0.014.
    expect(d.bound).toBeCloseTo(0.15 - z * Math.hypot(0.02, 0.0224), 12);
    expect(d.rate).toBe("fpr");
    // The pair reads higher rate first: fpr(EG) − fpr(SA) = 0.15.
    expect(d.groups).toEqual(["EG", "SA"]);
    expect(d.method).toBe(
      "pairwise lower bound, max-T over 1 pair × 2 rates at max-gap 0.05, Bonferroni over 2 rules",
    );
    expect(d.adjustment).toBe("max-t");
    const equal = (first: string, second: string) => [
      {
        rate: "selection_rate",
        groups: [
          { group: first, value: 0.2, se: 0.01 },
          { group: second, value: 0.2, se: 0.01 },
        ],
      },
    ];
    expect(pairwiseDecision(equal("b", "a"), 0.95, 1, 0)!.groups).toEqual(["a", "b"]);
    expect(pairwiseDecision(equal("a", "b"), 0.95, 1, 0)!.groups).toEqual(["a", "b"]);
    expect(pairwiseDecision([], 0.95, 1, 0)).toBeUndefined();
  });

  for (const weighted of [false, true]) {
    it(`large groups: the recorded bound is the hand one from the groups' rates and Σ w²(x − p)² / (Σ w)²${weighted ? " (sample weights)" : ""}`, () => {
      const d = independentRows(6000, [0.3, 0.35, 0.4], "hand", weighted);
      const e = run(d, weighted, withRules(1, 50));
      const f = e.fairness!.find((x) => x.criterion === "demographic_parity")!;
      // By hand: each region's weighted selection rate and the variance of that weighted mean.
      const by = new Map<string, { w: number; wx: number; rows: number[] }>();
      d.region.forEach((r, i) => {
        const s = by.get(r) ?? { w: 0, wx: 0, rows: [] };
        const w = weighted ? d.weights[i]! : 1;
        s.w += w;
        s.wx += w * (d.scores[i]! >= 0.5 ? 1 : 0);
        s.rows.push(i);
        by.set(r, s);
      });
      const stat = new Map(
        [...by].map(([r, s]) => {
          const p = s.wx / s.w;
          let v = 0;
          for (const i of s.rows) {
            const w = weighted ? d.weights[i]! : 1;
            v += (w * ((d.scores[i]! >= 0.5 ? 1 : 0) - p)) ** 2;
          }
          return [r, { p, v: v / (s.w * s.w) }];
        }),
      );
      const names = [...stat.keys()];
      // 3 pairs, 2 rules with confidence, no max-gap named (limit 0): the max-T value at α = 0.025
      // of the hand standard errors, below Bonferroni's Φ⁻¹(1 − 0.05 / 12) (scipy: 2.638257273476751).
      const z = maxTCritical([[...stat.values()].map((x) => Math.sqrt(x.v))], 0.025, 0);
      expect(f.decision!.critical).toBeCloseTo(z, 6);
      expect(z).toBeLessThan(2.638257273476751);
      let best = Number.NEGATIVE_INFINITY;
      for (let a = 0; a < names.length; a++)
        for (let b = a + 1; b < names.length; b++) {
          const x = stat.get(names[a]!)!;
          const y = stat.get(names[b]!)!;
          best = Math.max(best, Math.abs(x.p - y.p) - z * Math.sqrt(x.v + y.v));
        }
      expect(f.decision!.comparisons).toBe(6);
      expect(f.decision!.bound).toBeCloseTo(best, 9);
      expect(f.decision!.groups.sort()).toEqual(["AE", "EG"]);
      // The displayed interval of max − min is kept as it was.
      expect(f.gap.ci).not.toBeNull();
    });
  }

  // How many of `sets` data sets fail each criterion's max-gap `limit`, and (old) how many the
  // demographic-parity gap's adjusted interval's low end, the decision before, puts above it.
  const failing = (sets: number, n: number, rates: readonly number[], limit: number) => {
    const count = { dp: 0, eo: 0, old: 0 };
    for (let s = 0; s < sets; s++) {
      const e = run(independentRows(n, rates, `${rates.join()} ${s}`), false, withRules(s, 200, limit));
      if (fails(e, "demographic_parity", limit)) count.dp++;
      if (fails(e, "equalized_odds", limit)) count.eo++;
      if (e.fairness!.find((f) => f.criterion === "demographic_parity")!.gap.ciAdjusted![0] > limit)
        count.old++;
    }
    return count;
  };

  it("truly equal groups (gap 0) fail a max-gap 0.01 rule in at most 1 − confidence of data sets, where the low end of max − min's interval failed many", () => {
    const { dp, eo, old } = failing(80, 1000, [0.3, 0.3, 0.3], 0.01);
    // At most 5% expected: 4 of 80; allow binomial luck up to 8. The old decision failed most.
    expect(dp).toBeLessThanOrEqual(8);
    expect(eo).toBeLessThanOrEqual(8);
    expect(old).toBeGreaterThan(16);
  });

  // Two rules with confidence, so equalized odds' bounds are simultaneous over 3 pairs × 2 rates,
  // each rule at 97.5%: its recall compares about 1,070 positives a region, a standard error of a
  // difference of about 0.021 (max-T z ≈ 2.48 at max-gap 0.05, Bonferroni's over 12 comparisons 2.87).
  it("a true gap of 2L (0.12 over max-gap 0.06, 0.10 over 0.05) at n = 8,000 fails in at least 80% of data sets", () => {
    const sets = 40;
    const wide = failing(sets, 8000, [0.3, 0.3, 0.42], 0.06);
    expect(wide.dp / sets).toBeGreaterThanOrEqual(0.8);
    expect(wide.eo / sets).toBeGreaterThanOrEqual(0.8);
    // Max-T: 40/40 and 35/40 of these data sets; Bonferroni's z failed 38/40 and 29/40 (72.5%).
    const narrow = failing(sets, 8000, [0.3, 0.3, 0.4], 0.05);
    expect(narrow.dp / sets).toBeGreaterThanOrEqual(0.9);
    expect(narrow.eo / sets).toBeGreaterThanOrEqual(0.8);
  }, 120_000);
});
