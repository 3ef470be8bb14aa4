import { describe, expect, it } from "vitest";
import type { Profile } from "../profile/profile.js";
import type { Batch } from "../table/column.js";
import { finishPrediction, type PredictionLimits } from "./prediction-checks.js";
import { createPredictionTally } from "./prediction-tally.js";

const T0 = Date.parse("2025-06-01T00:00:00Z");
const HOUR = 3_600_000;

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
    expect(result.checks[0]!.reason).toContain("binary classifiers with a score field only");
  });
});
