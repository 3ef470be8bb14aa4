import { logisticModel } from "@gauntlet/fixtures";
import { describe, expect, it } from "vitest";
import { checkSignature } from "./check-signature.js";
import { loadModel } from "./load-model.js";
import { batchOf } from "./model-fixtures.test-helper.js";
import { timeScoring } from "./time-scoring.js";

const manifestFile = "models/churn/model.yml";

async function setup() {
  const model = await loadModel(logisticModel({ weights: [1, -1], bias: 0, features: ["x1", "x2"] }), {
    manifestFile,
  });
  const mapping = checkSignature(model, {
    path: "m.onnx",
    inputs: { numeric: ["x1", "x2"] },
    outputs: { probabilities: "probabilities" },
    classes: [0, 1],
    positive: 1,
  });
  return { model, mapping, batch: batchOf({ x1: [1, 2, 3, 4], x2: [4, 3, 2, 1] }) };
}

describe("timeScoring", () => {
  it("reports interpolated percentiles of the timed runs and rows per second at the median", async () => {
    const { model, mapping, batch } = await setup();
    // Each run reads the clock twice; the durations are 1..10 ms, shuffled.
    const durations = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];
    const ticks = durations.flatMap((d, i) => [100 * i, 100 * i + d]);
    let call = 0;
    const timing = await timeScoring(model, mapping, batch, {
      repeats: 10,
      warmup: 1,
      now: () => ticks[call++]!,
    });
    expect(call).toBe(20);
    expect(timing.rows).toBe(4);
    expect(timing.repeats).toBe(10);
    expect(timing.p50Ms).toBeCloseTo(5.5, 12);
    expect(timing.p95Ms).toBeCloseTo(9.55, 12);
    expect(timing.p99Ms).toBeCloseTo(9.91, 12);
    expect(timing.rowsPerSecond).toBeCloseTo(4 / 0.0055, 6);
  });

  it("times real runs with the default clock", async () => {
    const { model, mapping, batch } = await setup();
    const timing = await timeScoring(model, mapping, batch, { repeats: 5 });
    expect(timing.p50Ms).toBeGreaterThan(0);
    expect(timing.p50Ms).toBeLessThanOrEqual(timing.p95Ms);
    expect(timing.p95Ms).toBeLessThanOrEqual(timing.p99Ms);
  });

  it("refuses zero repeats", async () => {
    const { model, mapping, batch } = await setup();
    await expect(timeScoring(model, mapping, batch, { repeats: 0 })).rejects.toThrow(RangeError);
  });
});
