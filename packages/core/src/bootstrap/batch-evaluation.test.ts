import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { BINARY_METRICS } from "../manifest/metric-names.js";
import type { Column } from "../table/column.js";
import { createBatchEvaluation } from "./batch-evaluation.js";
import { evaluate } from "./evaluate.js";
import { rowIdHash } from "./row-hash.js";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rows with a small category, binned numbers with nulls, and a column of 600 values (two-byte ids). */
function dataset(n: number) {
  const rnd = lcg(3);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  const baseline = new Float64Array(n);
  const region: string[] = [];
  const store: string[] = [];
  const tenure = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.3 ? 1 : 0;
    scores[i] = Math.round((0.6 * labels[i]! + 0.4 * rnd()) * 200) / 200;
    baseline[i] = 0.5 * labels[i]! + 0.5 * rnd();
    region.push(["AE", "SA", "EG", "QA"][Math.floor(rnd() ** 2 * 4)]!);
    // Late rows bring new stores, so ids widen between batches.
    store.push(`s${Math.floor(rnd() * (i < n / 2 ? 100 : 600))}`);
    tenure[i] = rnd() < 0.02 ? Number.NaN : Math.floor(rnd() * 60);
  }
  const columns = new Map<string, Column>([
    ["region", { kind: "category", values: region, nulls: new Uint8Array(n) }],
    ["store", { kind: "category", values: store, nulls: new Uint8Array(n) }],
    [
      "tenure",
      { kind: "number", values: tenure, nulls: Uint8Array.from(tenure, (v) => (Number.isNaN(v) ? 1 : 0)) },
    ],
  ]);
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`row-${i}`));
  return { labels, scores, baseline, columns, rowIds };
}

const specs = ["region", { column: "tenure", bins: [6, 12, 24] }, ["region", "store"] as const, "store"];
const settings = { metrics: [...BINARY_METRICS], bootstrap: 100, seed: 7, maxSlicesPerSpec: 300 };

function slice(columns: Map<string, Column>, from: number, to: number): Map<string, Column> {
  return new Map(
    [...columns].map(([name, c]): [string, Column] => [
      name,
      c.kind === "category"
        ? { kind: c.kind, values: c.values.slice(from, to), nulls: c.nulls.slice(from, to) }
        : {
            kind: "number",
            values: (c.values as Float64Array).slice(from, to),
            nulls: c.nulls.slice(from, to),
          },
    ]),
  );
}

function inBatches(
  d: ReturnType<typeof dataset>,
  size: number,
  labels: Float64Array | Uint8Array = d.labels,
) {
  const batches = createBatchEvaluation({ specs, baseline: true, threshold: 0.4, file: "m.yml" });
  for (let from = 0; from < d.labels.length; from += size) {
    const to = Math.min(d.labels.length, from + size);
    batches.add({
      labels: d.labels.subarray(from, to),
      scores: d.scores.subarray(from, to),
      baselineScores: d.baseline.subarray(from, to),
      sliceColumns: slice(d.columns, from, to),
    });
  }
  return batches.finish({ labels, scores: d.scores, baselineScores: d.baseline, rowIds: d.rowIds }, settings);
}

const whole = (d: ReturnType<typeof dataset>) =>
  evaluate({
    task: "binary",
    labels: d.labels,
    scores: d.scores,
    baselineScores: d.baseline,
    rowIds: d.rowIds,
    sliceColumns: d.columns,
    specs,
    threshold: 0.4,
    ...settings,
  });

describe("createBatchEvaluation", () => {
  it("gives evaluate's result exactly, however the rows are split into batches", () => {
    const d = dataset(6000);
    const expected = whole(d);
    expect(expected.slices.some((s) => s.key.store === "(other)")).toBe(true);
    for (const size of [6000, 4096, 1000, 777]) expect(inBatches(d, size)).toEqual(expected);
    expect(inBatches(d, 1000, Uint8Array.from(d.labels))).toEqual(expected);
  });

  it("reweights rows, as evaluate does, once a batch holds scores outside [0, 1]", () => {
    const d = dataset(3000);
    d.scores[2500] = 1 + 1e-7;
    const expected = whole(d);
    expect(inBatches(d, 1000)).toEqual(expected);
    // The row path has no maxError and its intervals differ from the cell bootstrap's.
    d.scores[2500] = 1;
    expect(whole(d)).not.toEqual(expected);
  });

  it("rejects labels other than 0 and 1 with the row they are on", () => {
    const d = dataset(100);
    d.labels[57] = 2;
    const error = (() => {
      try {
        inBatches(d, 40);
      } catch (e) {
        return e;
      }
    })();
    expect(isUserError(error) && error.message).toContain("label at row 58 is 2");
  });
});
