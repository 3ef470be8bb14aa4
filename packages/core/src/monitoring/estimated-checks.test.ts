import { describe, expect, it } from "vitest";
import { classCalibration } from "../drift/class-calibration.js";
import { CLASSES, referenceOf, rowsOf } from "../drift/multiclass-case.test-helper.js";
import { PROFILE_SCHEMA, type Profile } from "../profile/profile.js";
import { createRng } from "../random/rng.js";
import type { Batch } from "../table/column.js";
import { createClassProbabilityTally } from "./class-probability-tally.js";
import { HOUR, T0 } from "./labelled-batch.test-helper.js";
import { type LayerStates, mergeLayerStates, parseLayerStates } from "./layer-states.js";
import { finishPrediction } from "./prediction-checks.js";
import type { PredictionLimits, PredictionSettings } from "./prediction-settings.js";
import { createPredictionTally } from "./prediction-tally.js";
import { renderPrediction } from "./render-prediction.js";

const FIELDS = ["p_basic", "p_plus", "p_postpaid"];

/** Hour h's logged rows: the most probable class as `plan` and every class's probability. */
function probabilityBatch(hours: number[][][]): Batch {
  const ts: number[] = [];
  const rows: number[][] = [];
  hours.forEach((logged, h) => {
    logged.forEach((p, i) => {
      ts.push(T0 + h * HOUR + i);
      rows.push(p);
    });
  });
  const n = ts.length;
  const none = () => new Uint8Array(n);
  return {
    source: "logs.jsonl",
    firstRow: 1,
    length: n,
    invalid: new Map(),
    columns: new Map<string, Batch["columns"] extends Map<string, infer C> ? C : never>([
      ["ts", { kind: "timestamp", values: Float64Array.from(ts), nulls: none() }],
      [
        "plan",
        { kind: "category", values: rows.map((p) => CLASSES[p.indexOf(Math.max(...p))]!), nulls: none() },
      ],
      ...FIELDS.map(
        (f, k) =>
          [f, { kind: "number", values: Float64Array.from(rows, (p) => p[k]!), nulls: none() }] as [
            string,
            Batch["columns"] extends Map<string, infer C> ? C : never,
          ],
      ),
    ]),
  } as Batch;
}

const limits: PredictionLimits = {
  "min-labelled": 100,
  "min-rows": 100,
  estimated: { accuracy: { min: 0.48 }, f1_macro: { min: 0.48 } },
};

/** Both tallies over `batches` (one per shard), through a part file's JSON when sharded. */
function counted(batches: Batch[]): LayerStates {
  const states = batches.map((batch) => {
    const prediction = createPredictionTally({ fields: { timestamp: "ts", score: "plan" }, window: "1h" });
    const estimate = createClassProbabilityTally({
      fields: { timestamp: "ts", probabilities: FIELDS },
      window: "1h",
    });
    prediction.add(batch);
    estimate.add(batch);
    const state: LayerStates = { prediction: prediction.state(), estimate: estimate.state() };
    return parseLayerStates(JSON.parse(JSON.stringify(state)), "drift.part.json");
  });
  return states.length === 1 ? states[0]! : mergeLayerStates(states);
}

function settingsOf(reference: Profile, states: LayerStates): PredictionSettings {
  return {
    window: "1h",
    limits,
    performance: null,
    reference,
    score: "plan",
    task: "multiclass",
    estimate: {
      windows: states.estimate ?? [],
      calibration: classCalibration(reference, CLASSES),
      seed: "plan",
    },
  };
}

describe("multiclass estimated limits", () => {
  const rng = createRng("estimated-checks");
  const reference = referenceOf(rowsOf(rng, 3000, 2, [0.3, 0, -0.1]));
  // Hour 0 served like the reference; in hour 1 the rows crowd the decision boundary (no labels).
  const healthy = rowsOf(rng, 600, 2, [0.3, 0, -0.1]).logged;
  const uncertain = rowsOf(rng, 600, 2, [0, 0, 0], 0.15).logged;
  const batch = probabilityBatch([healthy, uncertain]);

  it("fails the window whose estimated accuracy and macro F1 intervals lie wholly below the minimum", () => {
    const states = counted([batch]);
    const result = finishPrediction(states.prediction!, settingsOf(reference, states));
    const [first, second] = result.windows;
    expect(first!.estimated!["accuracy"]!.ci![0]).toBeGreaterThan(0.48);
    expect(second!.estimated!["accuracy"]!.ci![1]).toBeLessThan(0.48);
    const accuracy = result.checks.find((c) => c.id === "estimated-accuracy")!;
    expect(accuracy.status).toBe("fail");
    expect(accuracy.reason).toContain(
      "in the window from 2025-06-01T01:00:00.000Z (600 predictions, no labels)",
    );
    expect(accuracy.reason).toContain("whole interval below the minimum 0.48 (1 of 2 judged windows breach)");
    expect(result.checks.find((c) => c.id === "estimated-f1_macro")!.status).toBe("fail");
    expect(result.checks.find((c) => c.id === "calibration")!.status).toBe("pass");
    expect(result.breaches).toEqual([
      { start: "2025-06-01T01:00:00.000Z", check: "estimated-accuracy" },
      { start: "2025-06-01T01:00:00.000Z", check: "estimated-f1_macro" },
    ]);
    expect(result.level).toBe("alert");
    const report = renderPrediction(result);
    expect(report).toContain("| estimated accuracy (95% CI) | estimated f1_macro (95% CI) |");
    expect(report).toContain("Label-free estimate: class probabilities recalibrated one-vs-rest");

    // Healthy windows only: every check passes.
    const calm = counted([probabilityBatch([healthy])]);
    const ok = finishPrediction(calm.prediction!, settingsOf(reference, calm));
    expect(ok.checks.map((c) => c.status)).toEqual(["pass", "pass", "pass"]);
  });

  it("shows and judges a window only the class probabilities were counted in (no logged class)", () => {
    const states = counted([batch]);
    // No prediction window at all (the logged class missing or unusable): the estimate's own.
    const result = finishPrediction([], settingsOf(reference, states));
    expect(result.windows.map((w) => [w.start, w.scored, w.estimatedRows])).toEqual([
      ["2025-06-01T00:00:00.000Z", 0, 600],
      ["2025-06-01T01:00:00.000Z", 0, 600],
    ]);
    const accuracy = result.checks.find((c) => c.id === "estimated-accuracy")!;
    expect(accuracy.status).toBe("fail");
    expect(accuracy.reason).toContain(
      "in the window from 2025-06-01T01:00:00.000Z (600 predictions, no labels)",
    );
    expect(result.windows.map((w) => w.estimated)).toEqual(
      finishPrediction(states.prediction!, settingsOf(reference, states)).windows.map((w) => w.estimated),
    );
    expect(renderPrediction(result)).toContain("| 600 (class probabilities only) |");
  });

  it("warns, never fails, without a calibration, and says why", () => {
    const bare: Profile = { schema: PROFILE_SCHEMA, rows: 0, chunkRows: 1, columns: {} };
    const states = counted([batch]);
    const result = finishPrediction(states.prediction!, settingsOf(bare, states));
    expect(result.checks.find((c) => c.id === "calibration")).toMatchObject({ status: "warn" });
    const accuracy = result.checks.find((c) => c.id === "estimated-accuracy")!;
    expect(accuracy.status).toBe("warn");
    expect(accuracy.reason).toContain("without an interval (calibration not established), so a warning");
    expect(result.windows[1]!.estimated!["accuracy"]!.ci).toBeNull();
    expect(result.breaches).toEqual([]);
    expect(result.calibration!.reason).toContain("no labelled class probabilities");
  });

  it("is the same from three shards' part files as from one run", () => {
    const whole = counted([batch]);
    const thirds = [0, 1, 2].map((s) => {
      const rows = Array.from({ length: batch.length }, (_, i) => i).filter((i) => i % 3 === s);
      const hours = [healthy, uncertain].map((h, hour) => h.filter((_, i) => rows.includes(hour * 600 + i)));
      return probabilityBatch(hours);
    });
    // Shard timestamps differ within the hour; the windows and counts do not.
    const merged = counted(thirds);
    expect(merged.estimate).toEqual(whole.estimate);
    const a = finishPrediction(whole.prediction!, settingsOf(reference, whole));
    const b = finishPrediction(merged.prediction!, settingsOf(reference, merged));
    expect(b.windows.map((w) => w.estimated)).toEqual(a.windows.map((w) => w.estimated));
    expect(b.checks).toEqual(a.checks);
  });
});
