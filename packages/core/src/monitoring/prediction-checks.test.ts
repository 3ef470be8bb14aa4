import { describe, expect, it } from "vitest";
import { accuracy } from "../metrics/accuracy.js";
import { f1Macro } from "../metrics/f1-macro.js";
import { mae } from "../metrics/mae.js";
import { rmse } from "../metrics/rmse.js";
import type { Profile } from "../profile/profile.js";
import type { Batch } from "../table/column.js";
import { HOUR, labelledBatch, T0 } from "./labelled-batch.test-helper.js";
import { finishPrediction } from "./prediction-checks.js";
import type { PredictionLimits } from "./prediction-settings.js";
import { createPredictionTally } from "./prediction-tally.js";

/** A multiclass reference: the predicted class `plan` logged 50/30/20. */
const reference: Profile = {
  schema: "gauntlet/profile@1",
  rows: 1000,
  chunkRows: 1000,
  columns: {
    plan: {
      kind: "category",
      rows: 1000,
      count: 1000,
      nulls: 0,
      counts: { basic: 500, plus: 300, pro: 200 },
      other: 0,
      chunks: [],
    },
  },
};

function classBatch(hours: string[][]): Batch {
  const ts: number[] = [];
  const classes: string[] = [];
  hours.forEach((values, h) => {
    values.forEach((c, i) => {
      ts.push(T0 + h * HOUR + i);
      classes.push(c);
    });
  });
  return {
    source: "logs.jsonl",
    firstRow: 1,
    length: ts.length,
    invalid: new Map(),
    columns: new Map([
      ["ts", { kind: "timestamp", values: Float64Array.from(ts), nulls: new Uint8Array(ts.length) }],
      ["plan", { kind: "category", values: classes, nulls: new Uint8Array(ts.length) }],
    ]),
  };
}

const mix = (n: number, shares: Record<string, number>) =>
  Object.entries(shares).flatMap(([c, s]) => Array<string>(Math.round(n * s)).fill(c));

const limits: PredictionLimits = {
  "min-labelled": 100,
  "min-rows": 30,
  "class-mix": { "max-shift": 0.15 },
  "low-confidence": { below: 0.6, "max-share": 0.2 },
};

describe("prediction health of a multiclass model", () => {
  it("alerts on a predicted-class mix that moved in one window, by total variation distance", () => {
    const tally = createPredictionTally({ fields: { timestamp: "ts", score: "plan" }, window: "1h" });
    tally.add(
      classBatch([
        mix(200, { basic: 0.5, plus: 0.3, pro: 0.2 }),
        mix(200, { basic: 0.2, plus: 0.3, pro: 0.5 }),
      ]),
    );
    const result = finishPrediction(tally.state(), {
      window: "1h",
      limits,
      performance: null,
      reference,
      score: "plan",
    });
    expect(result.referenceMix).toEqual({ shares: { basic: 0.5, plus: 0.3, pro: 0.2 }, from: "counts" });
    expect(result.windows[0]!.classShift).toBeCloseTo(0, 12);
    expect(result.windows[1]!.classShift).toBeCloseTo(0.3, 12);
    const check = result.checks.find((c) => c.id === "class-mix")!;
    expect(check.status).toBe("fail");
    expect(check.reason).toContain("1 of 2 windows breach; first from 2025-06-01T01:00:00.000Z");
    // The low-confidence share needs a binary classifier's scores: unavailable, not failed.
    expect(result.checks.find((c) => c.id === "low-confidence")!.status).toBe("skip");
    expect(result.level).toBe("alert");
  });

  it("never alerts on a window with fewer predictions than min-rows", () => {
    const tally = createPredictionTally({ fields: { timestamp: "ts", score: "plan" }, window: "1h" });
    tally.add(classBatch([["pro"]]));
    const result = finishPrediction(tally.state(), {
      window: "1h",
      limits,
      performance: null,
      reference,
      score: "plan",
    });
    expect(result.windows[0]!.classShift).toBeCloseTo(0.8, 12);
    expect(result.checks.find((c) => c.id === "class-mix")!.status).toBe("skip");
    expect(result.level).toBe("no data");
  });

  it("skips realised limits when there is no performance to judge (regression, multiclass)", () => {
    const result = finishPrediction([], {
      window: "1h",
      limits: { ...limits, realised: { roc_auc: { min: 0.7 } } },
      performance: null,
      reference,
      score: "plan",
    });
    expect(result.checks[0]).toMatchObject({ id: "realised-roc_auc", status: "skip" });
    expect(result.checks[0]!.reason).toContain("no outcomes to judge (monitoring.outcome");
  });
});

/** `n` rows of a class model right on a `right` share of them (classes a, b, c in turn). */
function classRows(n: number, right: number, labelledShare = 1) {
  const names = ["a", "b", "c"];
  const predicted: string[] = [];
  const actual: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const y = names[i % 3]!;
    const correct = (i * 7919) % 1000 < right * 1000;
    predicted.push(correct ? y : names[(i + 1) % 3]!);
    actual.push((i * 104729) % 1000 < labelledShare * 1000 ? y : null);
  }
  return { predicted, actual };
}

describe("realised metrics of multiclass and regression models, per window", () => {
  const released = { source: "release v1", metrics: { accuracy: 0.9, f1_macro: 0.9, mae: 1, rmse: 1.2 } };

  it("equal evaluate's metric functions on the window's labelled rows, and alert on a max-drop breach", () => {
    const tally = createPredictionTally({
      fields: { timestamp: "ts", score: "pred" },
      window: "1h",
      labelled: { outcome: "y", task: "multiclass" },
    });
    const good = classRows(600, 0.9, 0.5);
    const bad = classRows(600, 0.5, 0.5);
    tally.add(labelledBatch([good, bad]));
    const result = finishPrediction(tally.state(), {
      window: "1h",
      limits: { ...limits, realised: { accuracy: { "max-drop": 0.1 }, f1_macro: { min: 0.2 } } },
      performance: null,
      reference,
      score: "pred",
      task: "multiclass",
      released,
    });
    // Each window's values are the core metric functions' on its labelled rows (one-hot classes).
    [good, bad].forEach((rows, h) => {
      const kept = rows.actual.flatMap((a, i) => (a === null ? [] : [i]));
      const names = ["a", "b", "c"];
      const labels = kept.map((i) => names.indexOf(rows.actual[i]!));
      const scores = kept.flatMap((i) => names.map((c) => (c === rows.predicted[i] ? 1 : 0)));
      const w = result.windows[h]!;
      expect(w.labelled).toBe(kept.length);
      expect(w.realised!.accuracy!.value).toBeCloseTo(accuracy(labels, scores, { classes: 3 }).value!, 12);
      expect(w.realised!.f1_macro!.value).toBeCloseTo(f1Macro(labels, scores, { classes: 3 }).value!, 12);
      const ci = w.realised!.accuracy!.ci!;
      expect(ci[0]).toBeLessThan(w.realised!.accuracy!.value!);
      expect(ci[1]).toBeGreaterThan(w.realised!.accuracy!.value!);
    });
    const check = result.checks.find((c) => c.id === "realised-accuracy")!;
    expect(check.status).toBe("fail");
    expect(check.limit).toBeCloseTo(0.8, 12);
    expect(check.reason).toContain("in the window from 2025-06-01T01:00:00.000Z");
    expect(check.reason).toContain("whole interval below the released 0.9 − 0.1");
    expect(result.breaches).toContainEqual({ start: "2025-06-01T01:00:00.000Z", check: "realised-accuracy" });
    expect(result.checks.find((c) => c.id === "realised-f1_macro")!.status).toBe("pass");
    expect(result.level).toBe("alert");
  });

  it("never alerts on labels for a tiny share of rows (fewer than min-labelled in every window)", () => {
    const tally = createPredictionTally({
      fields: { timestamp: "ts", score: "pred" },
      window: "1h",
      labelled: { outcome: "y", task: "multiclass" },
    });
    // Every labelled row is wrong, but only about 2% of 1,000 rows have an outcome.
    const rows = classRows(1000, 0, 0.02);
    tally.add(labelledBatch([rows]));
    const result = finishPrediction(tally.state(), {
      window: "1h",
      limits: { ...limits, realised: { accuracy: { "max-drop": 0.1 } } },
      performance: null,
      reference,
      score: "pred",
      task: "multiclass",
      released,
    });
    expect(result.windows[0]!.labelled).toBeLessThan(100);
    expect(result.windows[0]!.realised!.accuracy!.value).toBe(0);
    const check = result.checks.find((c) => c.id === "realised-accuracy")!;
    expect(check.status).toBe("skip");
    expect(check.reason).toContain("no window has min-labelled 100 labelled rows");
    expect(result.breaches).toEqual([]);
  });

  it("gives regression MAE and RMSE per window, alerting when the error rose more than max-rise", () => {
    const tally = createPredictionTally({
      fields: { timestamp: "ts", score: "pred" },
      window: "1h",
      labelled: { outcome: "y", task: "regression" },
    });
    const hour = (spread: number) => {
      const actual = Array.from({ length: 300 }, (_, i) => 10 + (i % 17));
      const predicted = actual.map((y, i) => y + spread * Math.sin(i * 12.9898));
      return { predicted, actual };
    };
    const [calm, wild] = [hour(1), hour(4)];
    tally.add(labelledBatch([calm, wild]));
    const result = finishPrediction(tally.state(), {
      window: "1h",
      limits: {
        ...limits,
        realised: { mae: { "max-rise": 0.5 }, rmse: { max: 100 }, roc_auc: { min: 0.7 } },
      },
      performance: null,
      reference,
      score: "pred",
      task: "regression",
      released,
    });
    [calm, wild].forEach((rows, h) => {
      const w = result.windows[h]!;
      expect(w).toMatchObject({ scored: 300, labelled: 300, classShares: {}, classShift: null });
      expect(w.realised!.mae!.value).toBeCloseTo(mae(rows.actual, rows.predicted).value!, 12);
      expect(w.realised!.rmse!.value).toBeCloseTo(rmse(rows.actual, rows.predicted).value!, 12);
    });
    const check = result.checks.find((c) => c.id === "realised-mae")!;
    expect(check.status).toBe("fail");
    expect(check.reason).toContain("whole interval above the released 1 + 0.5");
    expect(result.checks.find((c) => c.id === "realised-rmse")!.status).toBe("pass");
    expect(result.checks.find((c) => c.id === "realised-roc_auc")!.reason).toContain(
      "not a realised metric of a regression model (drift-check offers mae, rmse)",
    );
  });
});
