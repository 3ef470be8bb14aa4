import { describe, expect, it } from "vitest";
import {
  BINARY_METRICS,
  type MetricName,
  MULTICLASS_METRICS,
  REGRESSION_METRICS,
} from "../manifest/metric-names.js";
import { customMetricsOf } from "../manifest/schema-operating.js";
import { NO_ROWS } from "../metrics/metric-value.js";
import type { Evaluation } from "../results/evaluation.js";
import { compareOutcomes } from "../shadow/outcome-comparison.js";
import { createOutcomeSample } from "../shadow/outcome-sample.js";
import type { Column } from "../table/column.js";
import { bootstrapMetrics } from "./bootstrap-metrics.js";
import { type EvaluateInput, evaluate } from "./evaluate.js";
import { rowIdHash } from "./row-hash.js";

// Rows and expected values from /usr/bin/python3 with scikit-learn 1.2.1 (the snippet below, run once):
//   rng = np.random.default_rng(15); n = 40; y = (rng.random(n) < 0.45).astype(int)
//   s = np.round(np.clip(0.3 + 0.35*y + (rng.random(n)-0.5)*0.7, 0.01, 0.99), 1); w = rng.choice([0, 0.5, 1, 1.5, 2.25, 3], n)
//   region = "a" for even rows, "b" for odd; pred = (s >= 0.5); per group (all rows, a, b) with ww = w[mask]:
//   roc_auc_score(yy, ss, sample_weight=ww), average_precision_score(...), log_loss(..., eps=np.finfo(float).eps),
//   brier_score_loss, accuracy_score / precision_score / recall_score / f1_score(yy, pred, sample_weight=ww),
//   tn, fp, fn, tp = confusion_matrix(yy, pred, sample_weight=ww).ravel(); fpr = fp/(fp+tn);
//   selection_rate = np.average(pred, weights=ww); value = (120tp − 15fp − 120fn)/Σww;
//   ece = Σ_b |Σ_{i∈b} w(y − p)| / Σw over 10 right-closed bins;
//   recall_at_precision = max(recall for precision ≥ 0.6 on precision_recall_curve(yy, ss, sample_weight=ww));
//   fpr_at_tpr = min(fpr for tpr ≥ 0.8 on roc_curve(yy, ss, sample_weight=ww, drop_intermediate=False));
//   custom_recall = tp/(tp+fn); custom_abs = np.average(np.abs(yy − ss), weights=ww)
const y = [
  0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1,
  1, 1, 1, 1,
];
const s = [
  0.3, 0.2, 0.9, 0.4, 0.4, 0.5, 0.0, 0.8, 0.2, 0.6, 0.5, 0.6, 0.3, 0.2, 0.9, 0.2, 0.9, 0.9, 0.2, 0.5, 0.9,
  0.6, 0.3, 0.1, 0.1, 0.2, 0.3, 0.4, 0.3, 0.3, 1.0, 0.2, 0.4, 0.6, 0.5, 0.4, 0.5, 0.5, 0.6, 0.5,
];
const w = [
  0.0, 1.5, 1.0, 3.0, 3.0, 0.0, 1.0, 1.0, 0.0, 1.5, 2.25, 1.0, 1.0, 1.5, 0.5, 0.5, 2.25, 3.0, 1.0, 3.0, 2.25,
  2.25, 1.5, 1.5, 3.0, 2.25, 1.5, 2.25, 0.0, 3.0, 3.0, 1.0, 2.25, 0.5, 3.0, 1.5, 1.5, 1.0, 3.0, 0.5,
];
const EXPECTED: Record<"overall" | "a" | "b", Record<string, number>> = {
  overall: {
    roc_auc: 0.8423900047824008,
    average_precision: 0.8196397409248728,
    log_loss: 0.46250992802064106,
    brier: 0.15548262548262548,
    accuracy: 0.7181467181467182,
    precision: 0.6923076923076923,
    recall: 0.7317073170731707,
    f1: 0.7114624505928854,
    fpr: 0.29411764705882354,
    selection_rate: 0.5019305019305019,
    value: 24.092664092664094,
    ece: 0.1154440154440154,
    recall_at_precision: 0.9512195121951219,
    fpr_at_tpr: 0.4485294117647059,
    custom_recall: 0.7317073170731707,
    custom_abs: 0.3370656370656371,
  },
  a: {
    roc_auc: 0.9099491648511256,
    average_precision: 0.9285251322751322,
    log_loss: 0.41437533686856987,
    brier: 0.13780303030303032,
    accuracy: 0.8181818181818182,
    precision: 0.88,
    recall: 0.8148148148148148,
    f1: 0.8461538461538461,
    fpr: 0.17647058823529413,
    selection_rate: 0.5681818181818182,
    value: 45.34090909090909,
    ece: 0.1174242424242424,
    recall_at_precision: 1.0,
    fpr_at_tpr: 0.17647058823529413,
    custom_recall: 0.8148148148148148,
    custom_abs: 0.3037878787878787,
  },
  b: {
    roc_auc: 0.7736694677871149,
    average_precision: 0.6859682615780176,
    log_loss: 0.5125395818164946,
    brier: 0.17385826771653545,
    accuracy: 0.6141732283464567,
    precision: 0.43636363636363634,
    recall: 0.5714285714285714,
    f1: 0.4948453608247423,
    fpr: 0.36470588235294116,
    selection_rate: 0.4330708661417323,
    value: 2.0078740157480315,
    ece: 0.25511811023622044,
    recall_at_precision: 0.38095238095238093,
    fpr_at_tpr: 0.47058823529411764,
    custom_recall: 0.5714285714285714,
    custom_abs: 0.37165354330708655,
  },
};
// Operating points chosen on the data, weighted: over "predict nothing" and each distinct score t as the
// lowest predicted positive, from the top (the highest cut wins a tie), with ww = w[mask], W = Σww, P = Σww[yy==1]:
//   tp = ww[(ss >= t) & (yy == 1)].sum(); fp = ww[(ss >= t) & (yy == 0)].sum(); fn = P − tp
//   f1 = 0 if tp == 0 else 2tp/(2tp + fp + fn); value = (120tp − 15fp − 120fn)/W
// (f1_max agrees with max 2PR/(P + R) on precision_recall_curve(y, s, sample_weight=w): 0.7774086378737542 at 0.4).
const CHOSEN: Record<"overall" | "a" | "b", Record<string, number>> = {
  overall: {
    f1_max: 0.7774086378737541,
    threshold_f1: 0.4,
    value_max: 52.181467181467184,
    threshold_value: 0.3,
  },
  a: { f1_max: 0.847457627118644, threshold_f1: 0.4, value_max: 70.11363636363636, threshold_value: 0.3 },
  b: { f1_max: 0.6774193548387096, threshold_f1: 0.4, value_max: 34.960629921259844, threshold_value: 0.4 },
};
// Demographic parity across region: |sel_a − sel_b| and min/max.
const PARITY = { gap: 0.13511095204008594, ratio: 0.7622047244094488 };

// Multiclass: ym = rng.integers(0, 3, 30); P = rng.dirichlet([1,1,1], 30) rounded to 3 places (column 2 = 1 − the others);
//   wm = rng.choice([0, 0.5, 1, 2, 2.5], 30); accuracy_score(ym, P.argmax(1), sample_weight=wm),
//   log_loss(ym, P, sample_weight=wm, labels=[0,1,2], eps=np.finfo(float).eps), f1_score(..., average="macro" | "weighted").
const ym = [0, 2, 2, 2, 0, 0, 2, 0, 2, 1, 1, 1, 0, 2, 2, 2, 2, 0, 1, 0, 1, 2, 1, 2, 2, 2, 1, 2, 0, 1];
const P = [
  0.463, 0.394, 0.143, 0.449, 0.191, 0.36, 0.511, 0.001, 0.488, 0.4, 0.331, 0.269, 0.255, 0.4, 0.345, 0.22,
  0.764, 0.016, 0.173, 0.677, 0.15, 0.742, 0.075, 0.183, 0.347, 0.026, 0.627, 0.433, 0.512, 0.055, 0.511,
  0.124, 0.365, 0.559, 0.053, 0.388, 0.132, 0.346, 0.522, 0.299, 0.625, 0.076, 0.709, 0.194, 0.097, 0.03,
  0.723, 0.247, 0.154, 0.045, 0.801, 0.114, 0.136, 0.75, 0.469, 0.448, 0.083, 0.176, 0.239, 0.585, 0.157,
  0.084, 0.759, 0.389, 0.225, 0.386, 0.315, 0.018, 0.667, 0.254, 0.54, 0.206, 0.233, 0.536, 0.231, 0.07,
  0.742, 0.188, 0.162, 0.243, 0.595, 0.463, 0.451, 0.086, 0.153, 0.374, 0.473, 0.018, 0.291, 0.691,
];
const wm = [
  1.0, 1.0, 2.0, 2.5, 0.5, 1.0, 0.0, 2.5, 0.0, 2.5, 0.5, 2.0, 0.0, 0.0, 0.5, 0.5, 2.5, 0.5, 0.0, 2.5, 2.5,
  2.5, 1.0, 0.0, 1.0, 2.5, 0.0, 2.0, 0.5, 2.5,
];
const MULTICLASS: Record<string, number> = {
  accuracy: 0.2328767123287671,
  log_loss: 1.453668383090981,
  f1_macro: 0.23852389594676346,
  f1_weighted: 0.22481565273599682,
};

// Regression: yr = round(rng.normal(10, 3, 30), 2); pr = round(yr + rng.normal(0, 1.5, 30), 2); wr = rng.choice([0, 0.25, 1, 1.5, 4], 30);
//   mean_absolute_error, sqrt(mean_squared_error), r2_score, mean_absolute_percentage_error with sample_weight=wr.
const yr = [
  5.39, 13.5, 10.78, 9.7, 4.97, 10.91, 8.75, 1.13, 5.85, 6.36, 6.92, 8.13, 7.46, 14.67, 13.19, 9.73, 14.16,
  16.41, 11.46, 6.01, 11.12, 14.29, 6.98, 9.96, 12.81, 13.56, 12.55, 11.12, 9.57, 8.28,
];
const pr = [
  6.9, 14.89, 10.05, 8.66, 6.86, 12.41, 7.59, -1.36, 6.02, 7.57, 8.36, 9.35, 5.13, 14.73, 12.61, 8.61, 18.11,
  16.4, 11.83, 5.55, 12.14, 16.04, 6.55, 9.91, 12.13, 12.01, 12.26, 11.63, 9.59, 7.9,
];
const wr = [
  0.25, 4.0, 0.25, 0.0, 4.0, 0.25, 0.0, 1.5, 0.0, 4.0, 4.0, 1.5, 0.0, 1.5, 0.25, 0.0, 1.0, 0.0, 1.5, 1.5, 0.0,
  1.0, 0.25, 0.0, 0.0, 4.0, 1.5, 0.25, 1.5, 4.0,
];
const REGRESSION: Record<string, number> = {
  mae: 1.2057894736842105,
  rmse: 1.4388313057185647,
  r2: 0.8497651517828025,
  mape: 0.22277223402285534,
};

const TOL = 1e-9;
const operating = { costs: { tp: 120, fp: -15, fn: -120, tn: 0 }, minPrecision: 0.6, targetTpr: 0.8, k: 5 };
const custom = customMetricsOf(
  {
    "custom-metrics": {
      custom_recall: { from: "counts", expression: "tp / (tp + fn)", direction: "higher" },
      custom_abs: { from: "rows", expression: "abs(label - score)", direction: "lower" },
    },
  },
  "binary",
);
const category = (values: string[]): Column => ({
  kind: "category",
  values,
  nulls: new Uint8Array(values.length),
});
const ids = (n: number) => Uint32Array.from({ length: n }, (_, i) => rowIdHash(`r-${i}`));
const region = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? "a" : "b"));
// A baseline on the same 0.1 grid, with ties of its own.
const baseline = s.map((v, i) => Math.round((0.7 * v + 0.15 * ((i * 7) % 5)) * 10) / 10);

/** Rows as `evaluate` takes them, weighted, with region slices of 5 rows or more. */
function inputOf(
  task: EvaluateInput["task"],
  rows: { labels: number[]; scores: number[]; weights: number[] },
  over: Partial<EvaluateInput>,
): EvaluateInput {
  const n = rows.labels.length;
  return {
    task,
    labels: Float64Array.from(rows.labels),
    scores: Float64Array.from(rows.scores),
    weights: Float64Array.from(rows.weights),
    rowIds: ids(n),
    sliceColumns: new Map([["region", category(region(n))]]),
    specs: ["region"],
    metrics: [],
    minSliceSize: 5,
    ...over,
  };
}

/** The binary rows above: every binary metric, the operating, custom and fairness ones too. */
const binaryInput = (over: Partial<EvaluateInput> = {}) =>
  inputOf(
    "binary",
    { labels: y, scores: s, weights: w },
    {
      metrics: [...BINARY_METRICS],
      operating,
      custom,
      fairness: [{ across: "region", criterion: "demographic_parity" }],
      ...over,
    },
  );
const multiclassInput = (over: Partial<EvaluateInput> = {}) =>
  inputOf(
    "multiclass",
    { labels: ym, scores: P, weights: wm },
    { classes: 3, metrics: [...MULTICLASS_METRICS], ...over },
  );
const regressionInput = (over: Partial<EvaluateInput> = {}) =>
  inputOf(
    "regression",
    { labels: yr, scores: pr, weights: wr },
    { metrics: [...REGRESSION_METRICS], ...over },
  );

/** `rows` of `input` each repeated `counts[i]` times, with its row id (so its bootstrap weights too). */
function repeated(input: EvaluateInput, counts: readonly number[]): EvaluateInput {
  const width = input.task === "multiclass" ? input.classes! : 1;
  const picks = counts.flatMap((c, i) => Array<number>(c).fill(i));
  const take = (a: Float64Array, k = 1) =>
    Float64Array.from(picks.flatMap((i) => [...a.subarray(i * k, i * k + k)]));
  const { weights: _, ...rest } = input;
  const column = input.sliceColumns.get("region") as { values: string[] };
  return {
    ...rest,
    labels: take(input.labels),
    scores: take(input.scores, width),
    ...(input.baselineScores ? { baselineScores: take(input.baselineScores, width) } : {}),
    rowIds: Uint32Array.from(picks.map((i) => input.rowIds[i]!)),
    sliceColumns: new Map([["region", category(picks.map((i) => column.values[i]!))]]),
  };
}

const metricOf = (result: { metrics: object }, name: string) =>
  (result.metrics as Record<string, { value: number | null }>)[name]?.value;

function expectClose(actual: number | null | undefined, expected: number, what: string) {
  expect(actual, what).not.toBeNull();
  expect(actual, what).toBeDefined();
  expect(Math.abs(actual! - expected), what).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
}

/** Every number of `a` within `tol` (relative above 1) of `b`'s, the keys in `ignore` left out. */
function expectNear(a: unknown, b: unknown, tol: number, ignore: readonly string[] = [], path = "") {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isFinite(a) || Number.isFinite(b))
      expect(Math.abs(a - b), path).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
    else expect(a, path).toBe(b);
    return;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    expect(a, path).toEqual(b);
    return;
  }
  const keys = (o: object) => Object.keys(o).filter((k) => !ignore.includes(k));
  expect(keys(a).sort(), path).toEqual(keys(b).sort());
  for (const k of keys(a))
    expectNear(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      tol,
      ignore,
      `${path}.${k}`,
    );
}

/** `e` as plain JSON with its slices (and fairness groups) in key order: they are listed by size, which repeating rows changes. */
function bySliceKey(e: Evaluation): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(e));
  const order = (slices: { key: object }[]) =>
    slices.sort((x, y) => JSON.stringify(x.key).localeCompare(JSON.stringify(y.key)));
  order(out.slices);
  if (out.baseline) order(out.baseline.slices);
  for (const gap of out.fairness ?? []) gap.groups.sort();
  return out;
}

const withoutWeight = (e: Evaluation) => JSON.stringify(e, (k, v) => (k === "weight" ? undefined : v));

describe("sample weights", () => {
  it("give every binary metric scikit-learn's sample_weight value, overall and per slice (operating, custom, fairness included)", () => {
    const result = evaluate(binaryInput());
    const groups = {
      overall: result.overall,
      a: result.slices.find((x) => x.key.region === "a")!,
      b: result.slices.find((x) => x.key.region === "b")!,
    };
    for (const [group, expected] of Object.entries(EXPECTED)) {
      for (const [name, value] of Object.entries({ ...expected, ...CHOSEN[group as keyof typeof CHOSEN] }))
        expectClose(metricOf(groups[group as keyof typeof groups], name), value, `${group} ${name}`);
    }
    const parity = result.fairness!.find((f) => f.criterion === "demographic_parity")!;
    expectClose(parity.gap.value, PARITY.gap, "parity gap");
    expectClose(parity.ratio.value, PARITY.ratio, "parity ratio");
    // n stays the rows; the total weight is shown beside it.
    expect(result.overall.n).toBe(40);
    expect(result.overall.weight).toBeCloseTo(
      w.reduce((a, b) => a + b, 0),
      12,
    );
    expect(groups.a.n).toBe(20);
    expect(groups.a.weight).toBeCloseTo(
      w.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0),
      12,
    );
  });

  it("give multiclass and regression metrics scikit-learn's sample_weight values", () => {
    const mc = evaluate(multiclassInput());
    for (const [name, value] of Object.entries(MULTICLASS))
      expectClose(metricOf(mc.overall, name), value, name);
    const rg = evaluate(regressionInput());
    for (const [name, value] of Object.entries(REGRESSION))
      expectClose(metricOf(rg.overall, name), value, name);
  });

  it("of 1 give bit for bit the evaluation without weights: values, intervals, deltas, fairness, custom metrics", () => {
    const cases: EvaluateInput[] = [
      binaryInput({ baselineScores: Float64Array.from(baseline), bootstrap: 200, seed: 3 }),
      multiclassInput({ bootstrap: 100, seed: 3 }),
      regressionInput({ bootstrap: 100, seed: 3 }),
    ];
    for (const input of cases) {
      const n = input.labels.length;
      const { weights: _, ...plain } = input;
      const ones = evaluate({ ...input, weights: new Float64Array(n).fill(1) });
      expect(withoutWeight(ones)).toBe(JSON.stringify(evaluate(plain)));
      expect(ones.overall.weight).toBe(n);
    }
  });

  it("that are integers equal repeating each row that many times (0 = the row removed): every point value and replicate", () => {
    const counts = w.map((v) => Math.ceil(v));
    const input = binaryInput({ baselineScores: Float64Array.from(baseline), bootstrap: 300, seed: 9 });
    const capture = (into: Float64Array[][]) => (job: Parameters<typeof bootstrapMetrics>[0]) => {
      const values = bootstrapMetrics(job);
      into.push(values);
      return values;
    };
    const weightedDraws: Float64Array[][] = [];
    const repeatedDraws: Float64Array[][] = [];
    const weighted = evaluate({
      ...input,
      weights: Float64Array.from(counts),
      runReplicates: capture(weightedDraws),
    });
    const copies = evaluate({ ...repeated(input, counts), runReplicates: capture(repeatedDraws) });
    // The replicates of every metric (BCa ones included) are the same numbers.
    expect(weightedDraws.length).toBe(repeatedDraws.length);
    weightedDraws.forEach((models, k) => {
      models.forEach((values, m) => {
        expectNear([...values], [...repeatedDraws[k]![m]!], 1e-9);
      });
    });
    // Point values, intervals, deltas, fairness and custom metrics: all but the BCa-corrected
    // intervals of means (whose acceleration treats the repeated rows as independent, though their
    // shared row id resamples them together — the weighted acceleration is the right one there).
    const bca = new Set(["log_loss", "brier", "accuracy", "recall", "precision"]);
    const strip = (e: Evaluation) =>
      JSON.parse(
        JSON.stringify(bySliceKey(e), (k, v) =>
          k === "n" || k === "rows" || k === "weight" ? undefined : v,
        ),
      );
    const drop = (e: Evaluation) => {
      const out = strip(e);
      const clean = (metrics: Record<string, { ci?: unknown }>) => {
        for (const name of bca) if (metrics[name]) delete metrics[name]!.ci;
      };
      clean(out.overall.metrics);
      for (const slice of out.slices) clean(slice.metrics);
      clean(out.baseline.overall.metrics);
      for (const slice of out.baseline.slices) clean(slice.metrics);
      return out;
    };
    expectNear(drop(weighted), drop(copies), 1e-9);
    // ... and the BCa metrics' point values did enter that comparison.
    expect(metricOf(weighted.overall, "log_loss")).toBeCloseTo(metricOf(copies.overall, "log_loss")!, 12);
    for (const make of [multiclassInput, regressionInput]) {
      const mcCounts = (make === multiclassInput ? wm : wr).map((v) => Math.ceil(v));
      const base = make({ bootstrap: 200, seed: 9 });
      expectNear(
        bySliceKey(evaluate({ ...base, weights: Float64Array.from(mcCounts) })),
        bySliceKey(evaluate(repeated(base, mcCounts))),
        1e-9,
        ["n", "rows", "weight"],
      );
    }
  });

  it("that are integers equal repeated rows with only confusion-count metrics too (percentile intervals throughout)", () => {
    const counts = w.map((v) => Math.ceil(v));
    const input = binaryInput({
      baselineScores: Float64Array.from(baseline),
      metrics: ["f1", "selection_rate", "fpr"],
      custom: [],
      bootstrap: 300,
      seed: 2,
    });
    const weighted = evaluate({ ...input, weights: Float64Array.from(counts) });
    expect(weighted.overall.metrics.f1!.ci).not.toBeNull();
    expectNear(bySliceKey(weighted), bySliceKey(evaluate(repeated(input, counts))), 1e-9, [
      "n",
      "rows",
      "weight",
    ]);
  });

  it("in other units (all multiplied by 7) give the same values and intervals: only the totals change", () => {
    const cases: EvaluateInput[] = [
      // Not precision_at_k: its k is counted in weight, so it changes with the unit by definition.
      binaryInput({
        baselineScores: Float64Array.from(baseline),
        metrics: BINARY_METRICS.filter((m) => m !== "precision_at_k"),
        bootstrap: 200,
        seed: 8,
      }),
      multiclassInput({ bootstrap: 100, seed: 8 }),
      regressionInput({ bootstrap: 100, seed: 8 }),
    ];
    for (const input of cases) {
      const one = evaluate(input);
      const seven = evaluate({ ...input, weights: input.weights!.map((v) => 7 * v) });
      expectNear(bySliceKey(seven), bySliceKey(one), 1e-9, ["weight"]);
      expect(seven.overall.weight).toBeCloseTo(7 * one.overall.weight!, 9);
    }
  });

  it("of 0 leave a row out, values and intervals alike", () => {
    const input = binaryInput({ baselineScores: Float64Array.from(baseline), bootstrap: 200, seed: 4 });
    const kept = w.flatMap((v, i) => (v > 0 ? [i] : []));
    const removed = repeated(
      input,
      w.map((v) => (v > 0 ? 1 : 0)),
    );
    const weighted = evaluate(input);
    const without = evaluate({ ...removed, weights: Float64Array.from(kept.map((i) => w[i]!)) });
    expectNear(bySliceKey(weighted), bySliceKey(without), 1e-12, ["n", "rows"]);
    expect(weighted.overall.n).toBe(40);
    expect(without.overall.n).toBe(kept.length);
  });

  it("of 0 for every row of a group leave its metrics undefined with the no-rows reason, never NaN", () => {
    const zeroB = Float64Array.from(w.map((v, i) => (i % 2 === 1 ? 0 : v)));
    const result = evaluate(
      binaryInput({ weights: zeroB, baselineScores: Float64Array.from(baseline), bootstrap: 100 }),
    );
    const b = result.slices.find((x) => x.key.region === "b")!;
    expect(b.n).toBe(20);
    expect(b.weight).toBe(0);
    for (const name of [
      "roc_auc",
      "log_loss",
      "accuracy",
      "f1",
      "ece",
      "value",
      "custom_recall",
      "custom_abs",
    ]) {
      const m = (b.metrics as Record<string, { value: number | null; ci: unknown; reason?: string }>)[name]!;
      expect(m.value, name).toBeNull();
      expect(m.ci, name).toBeNull();
      expect(m.reason, name).toContain(NO_ROWS);
    }
    const parity = result.fairness!.find((f) => f.criterion === "demographic_parity")!;
    expect(parity.leftOut).toEqual([{ group: "b", why: "undefined" }]);
    // The other slice is untouched.
    expect(result.slices.find((x) => x.key.region === "a")!.metrics.roc_auc!.value).toBeCloseTo(
      EXPECTED.a.roc_auc!,
      12,
    );
    for (const make of [multiclassInput, regressionInput]) {
      const base = make();
      const zero = Float64Array.from(base.weights!, (v, i) => (i % 2 === 1 ? 0 : v));
      const slice = evaluate({ ...base, weights: zero }).slices.find((x) => x.key.region === "b")!;
      for (const m of Object.values(slice.metrics)) {
        expect(m!.value).toBeNull();
        expect(m!.reason).toContain(NO_ROWS);
      }
    }
  });

  it("that are negative, not finite or one short are a bug here (the caller names the column): RangeError", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const weights = Float64Array.from(w);
      weights[3] = bad;
      expect(() => evaluate(binaryInput({ weights }))).toThrow(RangeError);
      expect(() => evaluate(binaryInput({ weights }))).toThrow(/weight at row 4/);
    }
    expect(() => evaluate(binaryInput({ weights: Float64Array.from(w.slice(1)) }))).toThrow(
      /expected 40 weights, got 39/,
    );
  });

  it("are kept by the shadow comparison's outcome sample, through its halving", () => {
    const sample = createOutcomeSample(4);
    for (let i = 0; i < 50; i++) sample.add(rowIdHash(`q-${i}`), 0.3, 0.6, i % 2, 1 + i);
    const rows = sample.rows();
    expect(rows.weights).toBeDefined();
    // Each kept row keeps its own weight: the weight is 1 + the request's index.
    const byId = new Map(Array.from({ length: 50 }, (_, i) => [rowIdHash(`q-${i}`), 1 + i]));
    rows.rowIds.forEach((id, k) => {
      expect(rows.weights![k]).toBe(byId.get(id));
    });
    const plain = createOutcomeSample(4);
    plain.add(1, 0.3, 0.6, 1);
    expect(plain.rows().weights).toBeUndefined();
  });

  it("weigh the shadow comparison's outcome metrics: scikit-learn's values, and integer weights equal the requests repeated", () => {
    const counts = w.map((v) => Math.ceil(v));
    const weighted = createOutcomeSample(1000);
    const integer = createOutcomeSample(1000);
    const copies = createOutcomeSample(1000);
    y.forEach((label, i) => {
      const id = rowIdHash(`q-${i}`);
      weighted.add(id, baseline[i]!, s[i]!, label, w[i]!);
      integer.add(id, baseline[i]!, s[i]!, label, counts[i]!);
      for (let c = 0; c < counts[i]!; c++) copies.add(id, baseline[i]!, s[i]!, label);
    });
    // Percentile intervals only (BCa means' acceleration treats repeated rows as independent).
    const options = {
      metrics: ["roc_auc", "f1", "log_loss"] as MetricName[],
      threshold: 0.5,
      replicates: 200,
      seed: 6,
      minimum: 10,
    };
    const summary = compareOutcomes(weighted, options);
    for (const name of ["roc_auc", "f1", "log_loss"] as const)
      expectClose(summary.metrics[name]!.challenger.value, EXPECTED.overall[name]!, name);
    const a = compareOutcomes(integer, { ...options, metrics: ["roc_auc", "f1"] });
    const b = compareOutcomes(copies, { ...options, metrics: ["roc_auc", "f1"] });
    expectNear(a.metrics, b.metrics, 1e-9);
  });
});
