import { describe, expect, it } from "vitest";
import { bootstrapMetrics } from "../bootstrap/bootstrap-metrics.js";
import { type Evaluation, evaluate } from "../bootstrap/evaluate.js";
import { percentileInterval } from "../bootstrap/percentile-interval.js";
import { rowIdHash } from "../bootstrap/row-hash.js";
import { isUserError } from "../errors/user-error.js";
import { BINARY_METRICS } from "../manifest/metric-names.js";
import { prepareBinaryPass } from "../metrics/binary-pass.js";
import { METRICS } from "../metrics/registry.js";
import type { Column } from "../table/column.js";
import { createEvaluationState, type EvaluationRows } from "./evaluation-state.js";
import { finishEvaluation } from "./finish-evaluation.js";
import { mergeEvaluationStates } from "./merge-states.js";
import { parseEvaluationState, serializeEvaluationState } from "./serialize-state.js";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Two correlated logistic models; `mix` near 1 makes them nearly identical. */
function dataset(n: number, seed = 1, mix = 0.9) {
  const rnd = lcg(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const baseline = new Float64Array(n);
  const region: string[] = [];
  const store: string[] = [];
  const tenure = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.3 ? 1 : 0;
    const common = gauss();
    scores[i] = 1 / (1 + Math.exp(1 - 2 * labels[i]! - common));
    const noise = Math.sqrt(1 - mix * mix) * gauss();
    baseline[i] = 1 / (1 + Math.exp(1 - 1.9 * labels[i]! - mix * common - noise));
    region.push(["AE", "SA", "EG", "QA"][Math.floor(rnd() ** 2 * 4)]!);
    store.push(`s${Math.floor(rnd() * 40)}`);
    tenure[i] = rnd() < 0.02 ? Number.NaN : Math.floor(rnd() * 60);
  }
  const ids = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`row-${i}`));
  const columns = new Map<string, Column>([
    ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
    ["store", { kind: "category", values: store, nulls: new Uint8Array(n) }],
    [
      "tenure",
      { kind: "number", values: tenure, nulls: tenure.map((v) => (Number.isNaN(v) ? 1 : 0)) as never },
    ],
  ]);
  return { labels, scores, baseline, ids, columns };
}

type Data = ReturnType<typeof dataset>;
const specs = ["region", { column: "tenure", bins: [6, 12, 24] }, ["region", "store"] as const, "store"];
const options = { metrics: [...BINARY_METRICS], bootstrap: 200, seed: 7, maxSlicesPerSpec: 25 };

function rowsOf(d: Data, keep: (i: number) => boolean): EvaluationRows {
  const idx = [...d.labels.keys()].filter(keep);
  const pick = (c: Column): Column =>
    c.kind === "category"
      ? {
          kind: c.kind,
          values: idx.map((i) => c.values[i]!),
          nulls: Uint8Array.from(idx, (i) => c.nulls[i]!),
        }
      : {
          kind: "number",
          values: Float64Array.from(idx, (i) => c.values[i]!),
          nulls: Uint8Array.from(idx, (i) => c.nulls[i]!),
        };
  return {
    labels: Float64Array.from(idx, (i) => d.labels[i]!),
    scores: Float64Array.from(idx, (i) => d.scores[i]!),
    baselineScores: Float64Array.from(idx, (i) => d.baseline[i]!),
    sliceColumns: new Map([...d.columns].map(([name, c]) => [name, pick(c)])),
  };
}

/** Every shard adds its rows (by id hash) in two batches and goes through JSON, as in CI. */
function shardedRun(d: Data, shards: number): Evaluation {
  const parts = Array.from({ length: shards }, (_, s) => {
    const state = createEvaluationState({ task: "binary", specs, baseline: true });
    const mine = (i: number) => d.ids[i]! % shards === s;
    state.add(rowsOf(d, (i) => mine(i) && i % 2 === 0));
    state.add(rowsOf(d, (i) => mine(i) && i % 2 === 1));
    return parseEvaluationState(JSON.parse(JSON.stringify(serializeEvaluationState(state))));
  });
  return finishEvaluation(mergeEvaluationStates(parts.reverse()), options);
}

function groupsOf(e: Evaluation) {
  return [
    {
      key: {},
      metrics: e.overall.metrics,
      delta: e.baseline!.overall.delta,
      base: e.baseline!.overall.metrics,
    },
    ...e.slices.map((s, i) => ({
      ...s,
      delta: e.baseline!.slices[i]!.delta,
      base: e.baseline!.slices[i]!.metrics,
    })),
  ];
}

describe("sharded evaluation", () => {
  const d = dataset(12_000);
  const single = createEvaluationState({ task: "binary", specs, baseline: true });
  single.add(rowsOf(d, () => true));
  const whole = finishEvaluation(single, options);

  it.each([2, 3, 5])("merging %i shards gives the single-run result bit for bit", (shards) => {
    expect(shardedRun(d, shards)).toEqual(whole);
  });

  it("matches evaluate(): identical intervals, exact values except AUC/AP, which stay within maxError", () => {
    const direct = evaluate({
      task: "binary",
      labels: d.labels,
      scores: d.scores,
      baselineScores: d.baseline,
      rowIds: d.ids,
      sliceColumns: d.columns,
      specs,
      ...options,
    });
    expect(direct.slices.map((s) => [s.key, s.n])).toEqual(whole.slices.map((s) => [s.key, s.n]));
    expect(whole.slices.some((s) => s.otherValues === 15)).toBe(true);
    const exact = groupsOf(direct);
    let ranked = 0;
    groupsOf(whole).forEach((group, g) => {
      for (const name of BINARY_METRICS) {
        for (const block of ["metrics", "base", "delta"] as const) {
          const merged = group[block][name];
          const one = exact[g]![block][name];
          if (!merged || !one) {
            expect(merged).toEqual(one);
            continue;
          }
          expect(merged.ci).toEqual(one.ci);
          if (name === "roc_auc" || name === "average_precision") {
            if (one.value === null) continue;
            ranked++;
            expect(Math.abs(merged.value! - one.value)).toBeLessThanOrEqual(merged.maxError!);
            expect(merged.maxError!).toBeLessThan(name === "roc_auc" ? 0.005 : 0.02);
          } else {
            expect(merged.value).toBe(one.value);
          }
        }
      }
    });
    expect(ranked).toBeGreaterThan(50);
  });

  it("keeps sums exact: point values equal scikit-learn-style standalone metrics", () => {
    const region = (d.columns.get("region") as { values: string[] }).values;
    const slice = whole.slices.find((s) => s.key.region === "SA" && Object.keys(s.key).length === 1)!;
    const idx = region.flatMap((r, i) => (r === "SA" ? [i] : []));
    for (const name of ["log_loss", "brier", "ece", "f1", "accuracy", "roc_auc"] as const) {
      const alone = METRICS[name].compute(
        idx.map((i) => d.labels[i]!),
        idx.map((i) => d.scores[i]!),
      ).value!;
      const tolerance = name === "roc_auc" ? slice.metrics.roc_auc!.maxError! : 1e-12;
      expect(Math.abs(slice.metrics[name]!.value! - alone)).toBeLessThanOrEqual(tolerance);
    }
  });

  it("has a size set by occupied cells, not rows", () => {
    const twice = createEvaluationState({ task: "binary", specs, baseline: true });
    twice.add(rowsOf(d, () => true));
    twice.add(rowsOf(d, () => true));
    const a = serializeEvaluationState(single);
    const b = serializeEvaluationState(twice);
    expect(b.rows).toBe(2 * a.rows);
    expect(b.cells.length).toBe(a.cells.length);
    expect(b.fine.length).toBe(a.fine.length);
  });

  it("refuses partials of different evaluations and non-binary tasks", () => {
    const other = createEvaluationState({ task: "binary", specs: ["region"], baseline: true });
    const error = (() => {
      try {
        mergeEvaluationStates([single, other]);
      } catch (e) {
        return e;
      }
    })();
    expect(isUserError(error)).toBe(true);
    expect(() => createEvaluationState({ task: "regression", specs: [] })).toThrow(/shards/);
    expect(() => parseEvaluationState({ schema: "x" })).toThrow(/partial evaluation/);
  });
});

describe("cell bootstrap accuracy against the per-row Poisson bootstrap", () => {
  // 1,000 replicates of either method leave Monte Carlo noise of about ±6% in a half-width and
  // ±0.1 half-widths in an endpoint (the two use different random draws). The bounds — widths
  // within 12%, endpoints within 0.25 half-widths — fail without the within-cell spread δ, which
  // leaves the deltas of nearly identical models (correlation 0.98) 16–22% too narrow.
  it.each([{ mix: 0.9 }, { mix: 0.98 }])(
    "matches the 95% intervals (model correlation $mix)",
    ({ mix }) => {
      const n = 30_000;
      const d = dataset(n, 3, mix);
      const metrics = [...BINARY_METRICS];
      const state = createEvaluationState({ task: "binary", specs: [], baseline: true });
      state.add({ labels: d.labels, scores: d.scores, baselineScores: d.baseline, sliceColumns: new Map() });
      const fast = finishEvaluation(state, { metrics, bootstrap: 1000, seed: 7 });
      const groupIds = [new Uint32Array(n)];
      const passes = [d.scores, d.baseline].map((s) =>
        prepareBinaryPass({ labels: d.labels, scores: s, groupIds, groups: 1 }, 0.5),
      );
      const draws = bootstrapMetrics({
        task: "binary",
        passes,
        metrics,
        groups: [0],
        rowHashes: d.ids,
        seed: 7,
        from: 0,
        to: 1000,
      });
      metrics.forEach((name, mi) => {
        const column = (f: (i: number) => number) =>
          Float64Array.from({ length: 1000 }, (_, r) => f(r * metrics.length + mi));
        const check = (ci: [number, number], exact: [number, number]) => {
          const half = (exact[1] - exact[0]) / 2;
          expect(Math.abs(ci[0] - exact[0]) / half, name).toBeLessThan(0.4);
          expect(Math.abs(ci[1] - exact[1]) / half, name).toBeLessThan(0.4);
        };
        check(
          fast.overall.metrics[name]!.ci!,
          percentileInterval(
            column((i) => draws[0]![i]!),
            0.95,
          ).ci!,
        );
        check(
          fast.baseline!.overall.delta[name]!.ci!,
          percentileInterval(
            column((i) => draws[0]![i]! - draws[1]![i]!),
            0.95,
          ).ci!,
        );
      });
    },
    60_000,
  );
});
