import { describe, expect, it } from "vitest";
import { isUserError } from "../errors/user-error.js";
import { BINARY_METRICS } from "../manifest/metric-names.js";
import type { Column } from "../table/column.js";
import { type CellLane, createBatchEvaluation } from "./batch-evaluation.js";
import { evaluate } from "./evaluate.js";
import { inThreadLane } from "./lane-work.js";
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

/** `inThreadLane`, counting what it is asked, or failing its ranking when `fail` is set. */
function countingLane(baseline: boolean, fail?: Error) {
  const inner = inThreadLane({ specs, baseline, threshold: 0.4, file: "m.yml" });
  const calls = { add: 0, tables: 0, sort: 0, ranking: 0, closed: 0 };
  const lane: CellLane = {
    add: (rows, groupOf, groups) => {
      calls.add++;
      inner.add(rows, groupOf, groups);
    },
    idle: () => inner.idle(),
    tables: () => {
      calls.tables++;
      return inner.tables();
    },
    sort: (labels, models) => {
      calls.sort++;
      inner.sort(labels, models);
    },
    ranking: (...args) => {
      calls.ranking++;
      return fail ? Promise.reject(fail) : inner.ranking(...args);
    },
    close: () => {
      calls.closed++;
    },
  };
  return { lane, calls };
}

async function sharedInBatches(d: ReturnType<typeof dataset>, size: number, lane: CellLane, baseline = true) {
  const batches = createBatchEvaluation({ specs, baseline, threshold: 0.4, file: "m.yml" }, lane);
  for (let from = 0; from < d.labels.length; from += size) {
    const to = Math.min(d.labels.length, from + size);
    batches.add({
      labels: d.labels.subarray(from, to),
      scores: d.scores.subarray(from, to),
      ...(baseline ? { baselineScores: d.baseline.subarray(from, to) } : {}),
      sliceColumns: slice(d.columns, from, to),
    });
  }
  const shared = batches.shared;
  const rows = { labels: d.labels, scores: d.scores, rowIds: d.rowIds };
  const result = await batches.finishShared(
    baseline ? { ...rows, baselineScores: d.baseline } : rows,
    settings,
  );
  return { result, shared, after: batches.shared };
}

describe("createBatchEvaluation with a lane", () => {
  it("gives evaluate's result exactly with the cells added and the ranking computed in the lane", async () => {
    const d = dataset(6000);
    const expected = whole(d);
    for (const size of [6000, 1000, 777]) {
      const { lane, calls } = countingLane(true);
      const { result, shared, after } = await sharedInBatches(d, size, lane);
      expect(result).toEqual(expected);
      expect(calls).toEqual({ add: Math.ceil(6000 / size), tables: 1, sort: 1, ranking: 1, closed: 1 });
      expect([shared, after]).toEqual([true, false]);
    }
  });

  it("gives the same result without a baseline", async () => {
    const d = dataset(3000);
    const expected = evaluate({
      task: "binary",
      labels: d.labels,
      scores: d.scores,
      rowIds: d.rowIds,
      sliceColumns: d.columns,
      specs,
      threshold: 0.4,
      ...settings,
    });
    const { lane } = countingLane(false);
    expect((await sharedInBatches(d, 1000, lane, false)).result).toEqual(expected);
  });

  it("closes the lane and reweights rows in this thread once a batch holds scores outside [0, 1]", async () => {
    const d = dataset(3000);
    d.scores[1500] = -0.25;
    const { lane, calls } = countingLane(true);
    const { result, shared } = await sharedInBatches(d, 1000, lane);
    expect(result).toEqual(whole(d));
    expect(shared).toBe(false);
    // The first batch went to the lane; the second closed it; nothing more was asked of it.
    expect(calls).toEqual({ add: 1, tables: 0, sort: 0, ranking: 0, closed: 1 });
  });

  it("passes on the lane's failure and closes it; `finish` is not for an evaluation with a lane", async () => {
    const d = dataset(2000);
    const { lane, calls } = countingLane(true, new Error("the evaluation worker failed: out of memory"));
    await expect(sharedInBatches(d, 1000, lane)).rejects.toThrow("out of memory");
    expect(calls.closed).toBe(1);
    const batches = createBatchEvaluation({ specs, baseline: false }, countingLane(false).lane);
    expect(() =>
      batches.finish(
        { labels: new Uint8Array(0), scores: new Float64Array(0), rowIds: new Uint32Array(0) },
        settings,
      ),
    ).toThrow(TypeError);
  });
});
