import { type Column, evaluate, isUserError, rowIdHash, shardOf } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { encodePartRows, mergePartRows, type ShardRows } from "./part-rows.js";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rows with ties, a narrow score range, nulls and every column kind. */
function table(n: number, width: number) {
  const rnd = lcg(n + width);
  const labels = Float64Array.from({ length: n }, () =>
    width === 1 ? (rnd() < 0.3 ? 1 : 0) : Math.floor(rnd() * width),
  );
  const scores = new Float64Array(n * width);
  const baseline = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    if (width === 1) {
      // Rounded to 3 places in [0.5, 0.51]: many ties, the narrow range of the issue.
      scores[i] = 0.5 + Math.round((labels[i]! * 0.004 + rnd() * 0.006) * 1000) / 100000;
      baseline[i] = rnd();
    } else {
      let sum = 0;
      for (let c = 0; c < width; c++) sum += scores[i * width + c] = rnd() + (labels[i] === c ? 0.5 : 0);
      for (let c = 0; c < width; c++) scores[i * width + c]! /= sum;
      for (let c = 0; c < width; c++) baseline[i * width + c] = 1 / width;
    }
  }
  const nulls = Uint8Array.from({ length: n }, () => (rnd() < 0.05 ? 1 : 0));
  const sliceColumns = new Map<string, Column>([
    [
      "region",
      {
        kind: "category",
        values: Array.from({ length: n }, () => ["AE", "SA", "EG", "QA"][Math.floor(rnd() * 4)]!),
        nulls: new Uint8Array(n),
      },
    ],
    ["tenure", { kind: "number", values: Float64Array.from({ length: n }, () => rnd() * 60), nulls }],
    [
      "paid",
      {
        kind: "boolean",
        values: Uint8Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : 0)),
        nulls: new Uint8Array(n),
      },
    ],
  ]);
  const rowIds = Uint32Array.from({ length: n }, (_, i) => rowIdHash(`c-${i}`));
  const positions = Float64Array.from({ length: n }, (_, i) => i);
  return { labels, scores, baselineScores: baseline, rowIds, positions, sliceColumns };
}

/** The rows of `shard` (by the same hash evaluate-slices shards by), as a part file carries them. */
function shardOfTable(
  t: ReturnType<typeof table> & { weights?: Float64Array },
  width: number,
  index: number,
  count: number,
) {
  const kept = [...t.labels.keys()].filter((i) => shardOf(`c-${i}`, count) === index);
  const pick = (a: Float64Array, w = 1) =>
    Float64Array.from(kept.flatMap((i) => [...a.subarray(i * w, i * w + w)]));
  const columns = new Map<string, Column>();
  for (const [name, c] of t.sliceColumns) {
    const nulls = Uint8Array.from(kept.map((i) => c.nulls[i]!));
    if (c.kind === "category")
      columns.set(name, { kind: "category", values: kept.map((i) => c.values[i]!), nulls });
    else if (c.kind === "boolean")
      columns.set(name, { kind: "boolean", values: Uint8Array.from(kept.map((i) => c.values[i]!)), nulls });
    else columns.set(name, { kind: c.kind, values: Float64Array.from(kept.map((i) => c.values[i]!)), nulls });
  }
  const rows: ShardRows = {
    positions: pick(t.positions),
    labels: pick(t.labels),
    scores: pick(t.scores, width),
    baselineScores: pick(t.baselineScores, width),
    rowIds: Uint32Array.from(kept.map((i) => t.rowIds[i]!)),
    sliceColumns: columns,
    ...(width > 1 ? { classes: width } : {}),
    ...(t.weights ? { weights: pick(t.weights) } : {}),
  };
  // Through JSON, as the part file stores it.
  return JSON.parse(JSON.stringify(encodePartRows(rows)));
}

const specs = ["region", { column: "tenure", bins: [6, 12, 24] }, ["region", "paid"]] as const;

/** A classifier's evaluation settings: metrics of its task, the slices above, `bootstrap` replicates. */
function settingsOf(task: "binary" | "multiclass", width: number, bootstrap: number) {
  return {
    task,
    specs: [...specs] as never,
    metrics: (task === "binary"
      ? ["roc_auc", "average_precision", "f1", "log_loss", "brier", "ece", "accuracy"]
      : ["accuracy", "log_loss", "f1_macro"]) as never,
    minSliceSize: 20,
    bootstrap,
    seed: 7,
    ...(width > 1 ? { classes: width } : {}),
  };
}

describe("merging part rows", () => {
  it.each([
    ["binary", 1],
    ["multiclass", 3],
  ] as const)(
    "gives a %s evaluation identical to the single run's, every interval included",
    (task, width) => {
      const t = table(1500, width);
      const settings = settingsOf(task, width, 200);
      const single = evaluate({ ...settings, ...t });
      for (const count of [2, 5]) {
        // Parts listed in a shuffled order: the merge restores the data's order.
        const parts = Array.from({ length: count }, (_, i) => ({
          file: `part-${i + 1}.json`,
          rows: shardOfTable(t, width, i + 1, count),
        })).reverse();
        const merged = mergePartRows(parts);
        expect(merged.labels.length).toBe(1500);
        expect(evaluate({ ...settings, ...merged })).toEqual(single);
      }
      expect(single.overall.metrics[task === "binary" ? "roc_auc" : "accuracy"]!.ci).not.toBeNull();
    },
  );

  it("gives a regression evaluation identical to the single run's, every interval included", () => {
    const t = table(1500, 1);
    // Continuous labels and predictions: ties (rounded to 0.1) and a narrow error range.
    const rnd = lcg(99);
    const labels = Float64Array.from(t.labels, () => Math.round(rnd() * 500) / 10);
    const regression = {
      ...t,
      labels,
      scores: Float64Array.from(labels, (y) => y + Math.round((rnd() - 0.5) * 40) / 10),
      baselineScores: Float64Array.from(labels, (y) => y + Math.round((rnd() - 0.4) * 60) / 10),
    };
    const settings = {
      task: "regression",
      specs: [...specs] as never,
      metrics: ["mae", "rmse", "r2"] as never,
      minSliceSize: 20,
      bootstrap: 200,
      seed: 7,
    } as const;
    const single = evaluate({ ...settings, ...regression });
    for (const count of [2, 5]) {
      const parts = Array.from({ length: count }, (_, i) => ({
        file: `part-${i + 1}.json`,
        rows: shardOfTable(regression, 1, i + 1, count),
      })).reverse();
      expect(evaluate({ ...settings, ...mergePartRows(parts) })).toEqual(single);
    }
    expect(single.overall.metrics["mae"]!.ci).not.toBeNull();
    expect(single.baseline?.overall.metrics["rmse"]?.value).toBeGreaterThan(0);
  });

  it.each([
    ["binary", 1],
    ["multiclass", 3],
  ] as const)(
    "carries sample weights: a weighted %s merge equals the weighted single run (within 1e-9)",
    (task, width) => {
      const t = table(1200, width);
      // Uneven weights, zeros included, that change every metric.
      const weights = Float64Array.from({ length: 1200 }, (_, i) => [0, 0.5, 1, 2.25, 7][(i * 7) % 5]!);
      const settings = settingsOf(task, width, 150);
      const single = evaluate({ ...settings, ...t, weights });
      expect(JSON.stringify(single)).not.toBe(JSON.stringify(evaluate({ ...settings, ...t })));
      const parts = Array.from({ length: 3 }, (_, i) => ({
        file: `part-${i + 1}.json`,
        rows: shardOfTable({ ...t, weights }, width, i + 1, 3),
      })).reverse();
      const merged = mergePartRows(parts);
      expect(merged.weights).toEqual(weights);
      const result = evaluate({ ...settings, ...merged });
      // The same rows in the same order: the same numbers (the bound is the issue's, 1e-9).
      const numbers = (e: unknown) =>
        JSON.stringify(e)
          .match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g)!
          .map(Number);
      const a = numbers(result);
      const b = numbers(single);
      expect(a.length).toBe(b.length);
      a.forEach((x, i) => {
        expect(Math.abs(x - b[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b[i]!)));
      });
      expect(result.overall.weight).toBeCloseTo(
        weights.reduce((x, y) => x + y, 0),
        9,
      );
    },
  );

  it("refuses parts whose weights are negative or not finite, or that disagree on having weights", () => {
    const t = table(300, 1);
    const weights = new Float64Array(300).fill(1);
    const one = shardOfTable({ ...t, weights }, 1, 1, 2);
    const two = shardOfTable({ ...t, weights }, 1, 2, 2);
    const bad = new Float64Array(Uint8Array.from(Buffer.from(one.weights, "base64")).buffer);
    bad[0] = -1;
    const negative = { ...one, weights: Buffer.from(bad.buffer).toString("base64") };
    expect(() => mergePartRows([{ file: "a.json", rows: negative }])).toThrow(
      /rows.weights: not finite non-negative weights/,
    );
    const { weights: _, ...unweighted } = two;
    expect(() =>
      mergePartRows([
        { file: "a.json", rows: one },
        { file: "b.json", rows: unweighted },
      ]),
    ).toThrow(/its columns differ/);
  });

  it("states its size: about 50 bytes a row for a binary model with a baseline, plus slice values", () => {
    const t = table(10_000, 1);
    const noSlices = shardOfTable({ ...t, sliceColumns: new Map() }, 1, 1, 1);
    const bytes = JSON.stringify(noSlices).length;
    expect(bytes / 10_000).toBeGreaterThan(47);
    expect(bytes / 10_000).toBeLessThan(50);
  });

  it("refuses a part whose arrays are cut, or rows that two parts both hold", () => {
    const t = table(300, 1);
    const one = shardOfTable(t, 1, 1, 2);
    const cut = { ...one, scores: one.scores.slice(0, 40) };
    const error = (() => {
      try {
        mergePartRows([{ file: "a.json", rows: cut }]);
      } catch (e) {
        return e;
      }
    })();
    expect(isUserError(error) && error.problem).toMatch(
      /^not a valid partial evaluation \(rows.scores: expected \d+ bytes/,
    );
    expect(() =>
      mergePartRows([
        { file: "a.json", rows: one },
        { file: "b.json", rows: one },
      ]),
    ).toThrow(/two parts hold the same row/);
  });
});
