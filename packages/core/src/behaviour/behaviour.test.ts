import { describe, expect, it } from "vitest";
import { parseManifest } from "../manifest/parse-manifest.js";
import type { DataContract } from "../manifest/schema.js";
import { behaviourSchema } from "../manifest/schema-behaviour.js";
import { createRng } from "../random/rng.js";
import type { Batch, Column } from "../table/column.js";
import { behaviourChecks, behaviourTest } from "./behaviour-checks.js";
import { BEHAVIOUR_SCHEMA, type BehaviourResult } from "./behaviour-result.js";
import { checkBehaviourSpec } from "./check-behaviour-spec.js";
import { directionalProbes, judgeDirectional } from "./directional-test.js";
import { edgeCases, judgeEdgeCases } from "./edge-cases.js";
import { invarianceProbes, judgeInvariance } from "./invariance-test.js";
import { judgeKnownCases, readKnownCases } from "./known-cases.js";
import { singlePredictions } from "./predictions.js";
import { renderBehaviourSection } from "./render-behaviour-section.js";
import { judgeOod, judgeRobustness, oodProbes, robustnessProbes } from "./robustness-test.js";

const num = (values: (number | null)[]): Column => ({
  kind: "number",
  values: Float64Array.from(values, (v) => v ?? Number.NaN),
  nulls: Uint8Array.from(values, (v) => (v === null ? 1 : 0)),
});
const cat = (values: (string | null)[]): Column => ({
  kind: "category",
  values: values.map((v) => v ?? ""),
  nulls: Uint8Array.from(values, (v) => (v === null ? 1 : 0)),
});
const batch = (columns: Record<string, Column>): Batch => ({
  source: "sample.csv",
  firstRow: 1,
  length: Object.values(columns)[0]!.nulls.length,
  columns: new Map(Object.entries(columns)),
  invalid: new Map(),
});
const contract = {
  columns: {
    age: { type: "number", min: 18, max: 120, nullable: false },
    calls: { type: "number", min: 0, nullable: true },
    region: { type: "category", values: ["AE", "SA"], unseen: "error", nullable: true },
  },
} as unknown as DataContract;
const kinds = new Map([
  ["age", "number"],
  ["calls", "number"],
  ["region", "category"],
] as const);
const spec = (input: unknown) => behaviourSchema.parse(input);
const context = { file: "models/m/model.yml", modelColumns: ["age", "calls", "region"], kinds, contract };
// A model whose score rises with calls and depends on region: 0.1 + 0.1 * calls (+0.2 in SA), capped.
const score = (b: Batch) => {
  const calls = b.columns.get("calls")!;
  const region = b.columns.get("region")!;
  return singlePredictions(
    "binary",
    Float64Array.from({ length: b.length }, (_, i) =>
      Math.min(1, 0.1 + 0.1 * (calls.values[i] as number) + (region.values[i] === "SA" ? 0.2 : 0)),
    ),
  );
};
const sample = batch({
  age: num([30, 40, 50, 60]),
  calls: num([0, 1, 2, 3]),
  region: cat(["AE", "AE", "SA", "AE"]),
});
const columns = ["age", "calls", "region"];

describe("checkBehaviourSpec", () => {
  it("refuses a directional test on a categorical column, naming the field", () => {
    expect(() =>
      checkBehaviourSpec(spec({ directional: [{ column: "region", by: 1, expect: "increase" }] }), context),
    ).toThrow(
      /behaviour\.directional\[0\]\.column: region is a category column; a directional test needs a numeric one/,
    );
  });
  it("refuses perturbations that leave the contract's range or values", () => {
    expect(() =>
      checkBehaviourSpec(
        spec({ invariance: [{ column: "age", values: [30, 150], tolerance: 0.1 }] }),
        context,
      ),
    ).toThrow(/invariance\[0\]\.values: 150 is outside the contract's range \[18, 120\]/);
    expect(() =>
      checkBehaviourSpec(spec({ invariance: [{ column: "age", range: [10, 40], tolerance: 0.1 }] }), context),
    ).toThrow(/10 is outside the contract's range/);
    expect(() =>
      checkBehaviourSpec(
        spec({ invariance: [{ column: "region", values: ["AE", "XX"], tolerance: 0.1 }] }),
        context,
      ),
    ).toThrow(/"XX" is not among data\.columns\.region\.values/);
    expect(() =>
      checkBehaviourSpec(spec({ directional: [{ column: "age", by: 200, expect: "increase" }] }), context),
    ).toThrow(/directional\[0\]\.by: a step of 200 leaves/);
  });
  it("refuses a column the model does not read and accepts a valid spec", () => {
    expect(() =>
      checkBehaviourSpec(
        spec({ invariance: [{ column: "device", values: ["a", "b"], tolerance: 0.1 }] }),
        context,
      ),
    ).toThrow(/device is not an input of the model/);
    expect(() =>
      checkBehaviourSpec(
        spec({
          invariance: [{ column: "region", values: ["AE", "SA"], tolerance: 0.1 }],
          directional: [{ column: "calls", by: 2, expect: "increase" }],
        }),
        context,
      ),
    ).not.toThrow();
  });
  it("is part of the manifest schema", () => {
    const text = `name: m\nversion: 1.0.0\ntask: binary\nowner: octocat\nartefact: { path: m.onnx, inputs: auto, outputs: { probabilities: p }, classes: [0, 1], positive: 1 }\nbehaviour:\n  cases: cases.csv\n  edge-cases: true\n  robustness: { noise: 0.05, max-flip-rate: 0.02 }\n`;
    const m = parseManifest(text, "models/m/model.yml");
    expect(m.behaviour?.robustness?.repeats).toBe(5);
    expect(m.behaviour?.sample).toBe(500);
  });
});

describe("known cases", () => {
  const origin = { manifest: "models/m/model.yml", path: "cases.csv" };
  const names = { expected: "expected", minScore: "min_score", maxScore: "max_score" };
  it("names the model inputs a cases file lacks", () => {
    const cases = batch({ age: num([30]), expected: cat(["1"]) });
    expect(() => readKnownCases(cases, names, ["0", "1"], columns, origin)).toThrow(
      /cases\.csv: calls: the known-cases file has no columns calls, region, which the model reads/,
    );
  });
  it("refuses an expected label outside the classes, naming the row", () => {
    const cases = batch({
      age: num([30, 31]),
      calls: num([0, 1]),
      region: cat(["AE", "AE"]),
      expected: cat(["1", "yes"]),
    });
    expect(() => readKnownCases(cases, names, ["0", "1"], columns, origin)).toThrow(
      /expected: expected class "yes" \(row 2\) is not one of the model's classes/,
    );
  });
  it("fails cases whose decision or score range is wrong, listing their inputs", () => {
    const cases = batch({
      age: num([30, 31, 32]),
      calls: num([9, 0, 3]),
      region: cat(["AE", "AE", "SA"]),
      expected: cat(["1", "1", null]),
      max_score: num([null, null, 0.3]),
    });
    const read = readKnownCases(cases, names, ["0", "1"], columns, origin);
    const m = judgeKnownCases(
      cases,
      read,
      score(cases),
      { threshold: 0.5, classes: ["0", "1"], positive: "1" },
      columns,
    );
    expect(m.status).toBe("fail");
    expect(m.value).toBe(2);
    expect(m.examples.map((e) => e.note)).toEqual([
      "row 2: score 0.100; predicted 0, expected 1",
      "row 3: score 0.600; score above 0.3",
    ]);
    expect(m.examples[0]!.inputs).toEqual({ age: 31, calls: 0, region: "AE" });
  });
});

describe("invariance and directional", () => {
  it("measures the largest score spread across the values", () => {
    const test = spec({ invariance: [{ column: "region", values: ["AE", "SA"], tolerance: 0.1 }] })
      .invariance[0]!;
    const probes = invarianceProbes(sample, test);
    const m = judgeInvariance(sample, score(probes), test, columns);
    expect(m.value).toBeCloseTo(0.2, 12);
    expect(m.failures).toBe(4);
    expect(m.status).toBe("fail");
    const lenient = judgeInvariance(sample, score(probes), { ...test, tolerance: 0.25 }, columns);
    expect(lenient.status).toBe("pass");
  });
  it("counts rows moving the wrong way and skips rows leaving the range", () => {
    const test = spec({ directional: [{ column: "calls", by: 1, expect: "decrease" }] }).directional[0]!;
    const probes = directionalProbes(sample, test, contract);
    const m = judgeDirectional(sample, score(sample), score(probes.batch), probes.judged, test, columns);
    expect(m.value).toBe(1); // every row's score rises, against "decrease"
    const down = spec({ directional: [{ column: "calls", by: -1, expect: "decrease" }] }).directional[0]!;
    const moved = directionalProbes(sample, down, contract);
    expect([...moved.judged]).toEqual([0, 1, 1, 1]); // 0 - 1 leaves calls' min 0
    const ok = judgeDirectional(sample, score(sample), score(moved.batch), moved.judged, down, columns);
    expect(ok.status).toBe("pass");
    expect(ok.reason).toMatch(/1 rows not judged/);
  });
});

describe("edge cases", () => {
  it("generates values from the contract and reports a crash with its input", () => {
    const cases = edgeCases(sample, columns, kinds, contract, 2);
    expect(cases.map((c) => `${c.column} ${c.label}`)).toEqual([
      "age null",
      "age min",
      "age max",
      "age below min",
      "age above max",
      "calls null",
      "calls min",
      "calls below min",
      "region null",
      "region unseen category",
      "region empty string",
    ]);
    expect(cases[3]!.value).toBeCloseTo(18 - 1.02, 12);
    const outcomes = cases.map((c) =>
      c.column === "calls" && c.label === "null"
        ? { error: "int64 input cannot hold a missing value" }
        : { scores: score(c.batch) },
    );
    const m = judgeEdgeCases(cases, outcomes, [], columns);
    expect(m.status).toBe("fail");
    expect(m.failures).toBe(1);
    expect(m.examples[0]).toEqual({
      inputs: { age: 30, calls: null, region: "AE" },
      score: null,
      note: "calls null: int64 input cannot hold a missing value",
    });
    // Scored, the null gives NaN (0.1 + 0.1 * NaN): a failure too.
    const nan = judgeEdgeCases(
      cases,
      cases.map((c) => ({ scores: score(c.batch) })),
      [],
      columns,
    );
    expect(nan.reason).toBe("1 of 11 edge values fail: calls null gives NaN");
  });
  it("lets a documented refusal of an out-of-contract value pass, never of an allowed one", () => {
    const cases = edgeCases(sample, ["age"], kinds, contract, 1);
    const crash = cases.map((c) =>
      c.label === "min" || c.label === "below min"
        ? { error: "refused" }
        : { scores: singlePredictions("binary", Float64Array.of(0.5)) },
    );
    const m = judgeEdgeCases(cases, crash, ["age"], ["age"]);
    expect(m.failures).toBe(1);
    expect(m.reason).toMatch(/age min crashes the model .*\(1 documented refusals\)/);
  });
});

describe("robustness and out-of-distribution", () => {
  const robust = spec({
    robustness: { noise: 0.5, "max-flip-rate": 0.1, "max-score-change": 0.05, repeats: 50 },
  }).robustness!;
  it("counts decision flips of perturbed copies against the unperturbed rows", () => {
    const probes = robustnessProbes(sample, ["age", "calls"], robust, contract, createRng(7));
    expect(probes.length).toBe(200);
    const calls = probes.columns.get("calls")!.values as Float64Array;
    // calls' sd in the sample is sqrt(1.25); noise 0.5 moves at most 0.559, clamped at min 0
    for (let i = 0; i < probes.length; i++) {
      expect(Math.abs(calls[i]! - [0, 1, 2, 3][i % 4]!)).toBeLessThanOrEqual(0.5 * Math.sqrt(1.25) + 1e-12);
      expect(calls[i]!).toBeGreaterThanOrEqual(0);
    }
    const base = score(sample);
    const perturbed = score(probes);
    const { flipRate, scoreChange } = judgeRobustness(sample, base, perturbed, robust, 0.5, columns);
    let flips = 0;
    for (let i = 0; i < 200; i++) if (perturbed.values[i]! >= 0.5 !== base.values[i % 4]! >= 0.5) flips++;
    expect(flipRate.value).toBeCloseTo(flips / 200, 12);
    expect(flips).toBeGreaterThan(0); // row 2 (0.5) sits on the threshold
    expect(flipRate.status).toBe(flips / 200 > 0.1 ? "fail" : "pass");
    expect(scoreChange.value).toBeGreaterThan(0.05);
    expect(scoreChange.status).toBe("fail");
  });
  it("warns when confidence rises far outside the data", () => {
    const ood = oodProbes(sample, ["age", "calls"], 10, contract);
    expect(ood.columns).toEqual(["age", "calls"]);
    expect(ood.values[0]).toBe(120); // capped at the contract's max
    const m = judgeOod(sample, score(sample), score(ood.batch), ood, columns);
    expect(m.status).toBe("warn"); // calls far out saturates the score at 1
    expect(m.value).toBeGreaterThan(0);
  });
});

describe("behaviour.json checks and the report", () => {
  const measure = (status: "pass" | "fail", value: number) => ({
    status,
    value,
    failures: status === "fail" ? 1 : 0,
    judged: 4,
    reason: `${status} reason`,
    examples: status === "fail" ? [{ inputs: { region: "@team <b>" }, score: 0.4, note: "note | pipe" }] : [],
  });
  const tests = [
    behaviourTest(
      { kind: "known-cases", limit: 0, unit: "failing cases" },
      measure("pass", 0),
      measure("pass", 0),
    ),
    behaviourTest(
      { kind: "invariance", column: "region", limit: 0.02, unit: "spread" },
      measure("fail", 0.2),
      measure("pass", 0.01),
    ),
    behaviourTest(
      { kind: "directional", column: "calls", limit: 0, unit: "share" },
      measure("fail", 0.5),
      measure("fail", 0.5),
    ),
  ];
  it("leads with tests the candidate newly fails", () => {
    expect(tests.map((t) => [t.name, t.newlyFailing])).toEqual([
      ["known-cases", false],
      ["invariance:region", true],
      ["directional:calls", false],
    ]);
    const checks = behaviourChecks(tests);
    expect(checks.map((c) => c.id)).toEqual(["invariance", "known-cases", "directional"]);
    expect(checks[0]).toEqual({
      id: "invariance",
      column: "region",
      status: "fail",
      value: 0.2,
      limit: 0.02,
      reason: "newly failing (production passes): fail reason",
    });
  });
  it("escapes data-derived text and hides values when examples are off", () => {
    const result: BehaviourResult = {
      schema: BEHAVIOUR_SCHEMA,
      model: { name: "m", version: "1.0.0", sha256: "x" },
      production: { path: "prod.onnx", sha256: "y" },
      task: "binary",
      status: "fail",
      threshold: 0.5,
      sample: { source: "eval.csv", rows: 4 },
      checks: behaviourChecks(tests),
      tests,
      disagreements: [{ inputs: { region: "@team" }, candidate: 0.9, production: 0.2 }],
      notes: [],
    };
    const md = renderBehaviourSection(result);
    expect(md).toContain("❌ **2 of 3 behavioural tests fail** (newly failing: invariance:region)");
    expect(md).toContain("@\u2060team &lt;b&gt;");
    expect(md).not.toContain("@team");
    expect(md).toContain("| 0.900 | 0.200 |");
    const hidden = renderBehaviourSection({ ...result, disagreements: null });
    expect(hidden).not.toContain("&lt;b&gt;");
    expect(hidden).toContain("note \\| pipe");
  });
});

describe("probes the model gives no score", () => {
  it("are failures counted in the reason, never an infinite value", () => {
    const test = spec({ invariance: [{ column: "region", values: ["AE", "SA"], tolerance: 0.5 }] })
      .invariance[0]!;
    const probes = invarianceProbes(sample, test);
    const scores = score(probes);
    scores.values[1] = Number.NaN; // row 1 with AE
    const m = judgeInvariance(sample, scores, test, columns);
    expect(m.value).toBeCloseTo(0.2, 12);
    expect(m.failures).toBe(1);
    expect(m.status).toBe("fail");
    expect(m.reason).toMatch(/\(1 of them get no score for some value\)/);
    const robust = spec({
      robustness: { noise: 0.1, "max-flip-rate": 1, "max-score-change": 0.9, repeats: 2 },
    }).robustness!;
    const base = score(sample);
    const perturbed = singlePredictions(
      "binary",
      Float64Array.from({ length: 8 }, (_, i) => (i === 5 ? Number.NaN : base.values[i % 4]!)),
    );
    const { flipRate, scoreChange } = judgeRobustness(sample, base, perturbed, robust, 0.5, columns);
    expect(flipRate.value).toBeCloseTo(1 / 8, 12);
    expect(scoreChange.value).toBe(0);
    expect(scoreChange.status).toBe("fail");
    expect(scoreChange.reason).toMatch(/1 perturbed rows get no score/);
  });
});
