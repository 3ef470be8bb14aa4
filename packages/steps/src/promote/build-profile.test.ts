import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  classCalibration,
  createRng,
  isUserError,
  type Profile,
  parseManifest,
  SCORE_BINS,
} from "@gauntlet/core";
import { logisticModel, multiclassModel, regressionModel } from "@gauntlet/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDriftCheck } from "../drift/run-drift-check.js";
import { loadReference } from "../reference/load-reference.js";
import { parseProfile } from "../reference/parse-profile.js";
import { buildReferenceProfile } from "./build-profile.js";

const FILE = "models/churn/model.yml";
const ROWS = 3000;
const WEIGHTS = [-0.06, 0.5];
const BIAS = -0.4;
let dir: string;
/** The model's positive-class probability per row, computed here in double precision. */
let expected: number[];
let positives: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-profile-"));
  const rng = createRng("build-profile");
  const lines = ["tenure_months,support_calls,plan,churned"];
  expected = [];
  positives = 0;
  for (let i = 0; i < ROWS; i++) {
    const tenure = Math.floor(rng.next() * 72);
    const calls = Math.floor(rng.next() * 8);
    const p = 1 / (1 + Math.exp(-(WEIGHTS[0]! * tenure + WEIGHTS[1]! * calls + BIAS)));
    // Labels drawn from the model's own probabilities: a calibrated model, so the curve is near the diagonal.
    const churned = rng.next() < p ? 1 : 0;
    expected.push(p);
    positives += churned;
    lines.push(`${tenure},${calls},${["basic", "plus"][i % 2]},${churned}`);
  }
  writeFileSync(join(dir, "eval.csv"), `${lines.join("\n")}\n`);
  const features = ["tenure_months", "support_calls"];
  writeFileSync(join(dir, "binary.onnx"), logisticModel({ weights: WEIGHTS, bias: BIAS, features }));
  writeFileSync(
    join(dir, "multiclass.onnx"),
    multiclassModel({
      weights: [
        [0.05, 0],
        [0, 0.3],
        [-0.05, -0.3],
      ],
      bias: [0, 0, 0.5],
      features,
    }),
  );
  writeFileSync(join(dir, "regression.onnx"), regressionModel({ weights: [0.5, 2], bias: 1, features }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function manifest(
  options: { task?: string; outputs?: string; classes?: string; monitoring?: string; label?: string } = {},
) {
  const task = options.task ?? "binary";
  return parseManifest(
    `name: churn
version: 1.3.0
task: ${task}
owner: "@acme/risk-ml"
artefact:
  path: ${task}.onnx
  inputs: { numeric: [tenure_months, support_calls] }
  outputs: ${options.outputs ?? "{ probabilities: probabilities }"}
${options.classes ?? "  classes: [0, 1]\n  positive: 1"}
evaluation:
  data: eval.csv
  label: ${options.label ?? "churned"}
  metrics: [${task === "regression" ? "rmse" : "accuracy"}]
${options.monitoring ?? "monitoring:\n  predictions: logs/*.jsonl\n  timestamp: ts\n  score: score"}
`,
    FILE,
  );
}

function build(m = manifest(), name = "binary"): Promise<Profile | undefined> {
  return buildReferenceProfile(m, {
    cwd: dir,
    path: join(dir, "out", `${name}.json`),
    model: { path: join(dir, `${m.task}.onnx`), manifestFile: FILE },
  });
}

describe("buildReferenceProfile", () => {
  it("adds a binary model's scores as the monitoring.score column, and their calibration curve", async () => {
    const profile = (await build())!;
    expect(profile.rows).toBe(ROWS);
    expect(profile.prediction).toEqual({ column: "score", kind: "score" });
    const score = profile.columns["score"]!;
    if (score.kind !== "number") throw new Error(`score is ${score.kind}`);
    expect(score.count).toBe(ROWS);
    // float32 inference against the double-precision sigmoid here.
    const mean = expected.reduce((s, p) => s + p, 0) / ROWS;
    expect(score.mean!).toBeCloseTo(mean, 5);
    expect(score.min!).toBeCloseTo(Math.min(...expected), 5);
    expect(score.max!).toBeCloseTo(Math.max(...expected), 5);
    expect(score.bins.counts.reduce((s, n) => s + n, 0)).toBe(ROWS);
    // The data's own columns are still there.
    expect(Object.keys(profile.columns).sort()).toEqual([
      "churned",
      "plan",
      "score",
      "support_calls",
      "tenure_months",
    ]);

    const calibration = profile.calibration!;
    expect(calibration).toMatchObject({ label: "churned", positive: "1", rows: ROWS });
    expect(calibration.bins.length).toBeGreaterThan(3);
    expect(calibration.bins.reduce((s, b) => s + b.count, 0)).toBe(ROWS);
    for (const bin of calibration.bins) {
      expect(bin.upper - bin.lower).toBeCloseTo(0.1, 12);
      expect(bin.meanScore).toBeGreaterThanOrEqual(bin.lower);
      expect(bin.meanScore).toBeLessThanOrEqual(bin.upper);
      expect(bin.positiveRate).toBeGreaterThanOrEqual(0);
      expect(bin.positiveRate).toBeLessThanOrEqual(1);
      // Labels were drawn from the scores: observed rates stay near the mean score where rows are many.
      if (bin.count >= 200) expect(Math.abs(bin.positiveRate - bin.meanScore)).toBeLessThan(0.1);
    }
    // Every positive label is counted once, in some bin (to rounding of count × rate).
    const counted = calibration.bins.reduce((s, b) => s + b.count * b.positiveRate, 0);
    expect(counted).toBeCloseTo(positives, 6);
    expect(calibration.bins.reduce((s, b) => s + b.count * b.meanScore, 0) / ROWS).toBeCloseTo(mean, 5);
    // The same rows on the fine grid drift-check recalibrates on: every row once, every positive once.
    const fine = calibration.labelledScores!;
    expect(fine.bins).toBe(SCORE_BINS);
    const triples = Array.from({ length: fine.counts.length / 3 }, (_, i) =>
      fine.counts.slice(3 * i, 3 * i + 3),
    );
    expect(triples.reduce((s, [, neg, pos]) => s + neg! + pos!, 0)).toBe(ROWS);
    expect(triples.reduce((s, [, , pos]) => s + pos!, 0)).toBe(positives);
    for (let i = 1; i < triples.length; i++) expect(triples[i]![0]!).toBeGreaterThan(triples[i - 1]![0]!);
  });

  it("writes the profile it returns, which a reference loader accepts", async () => {
    const profile = await build();
    const written = JSON.parse(readFileSync(join(dir, "out", "binary.json"), "utf8"));
    expect(written).toEqual(JSON.parse(JSON.stringify(profile)));
    expect(parseProfile(written, "profile.json", "churn")).toEqual(written);
  });

  it("is the reference drift-check measures the logged score's drift against", async () => {
    await build();
    const m = manifest();
    const reference = await loadReference("out/binary.json", { cwd: dir, manifest: m });
    // One window of logs: without a reference score column its score drift would not be measured at all.
    const check = async (shift: number) => {
      const logs = expected.slice(0, 1500).map((p, i) => ({
        ts: new Date(Date.UTC(2025, 5, 1, 0, 0, i)).toISOString(),
        score: Math.min(1, p + shift),
      }));
      writeFileSync(join(dir, "logs.jsonl"), `${logs.map((r) => JSON.stringify(r)).join("\n")}\n`);
      const loaded = { file: FILE, manifest: m };
      return (await runDriftCheck(loaded, { cwd: dir, reference, predictions: "logs.jsonl" })).result;
    };
    const same = await check(0);
    expect(same.health.scoreDriftBaseline).toBe("reference");
    expect(same.health.scoreDrift).toMatchObject({ column: "score", level: "ok" });
    // The profile's labelled scores establish the calibration the performance estimate rests on.
    expect(same.performance!.calibration).toMatchObject({ status: "recalibrated", rows: ROWS, positives });
    expect(same.performance!.calibration.ece!).toBeLessThan(0.05); // labels were drawn from the scores
    expect(same.performance!.estimated["roc_auc"]!.ci).toHaveLength(2);
    expect(same.checks).toContainEqual(expect.objectContaining({ id: "calibration", status: "pass" }));
    const shifted = await check(0.3);
    expect(shifted.health.scoreDriftBaseline).toBe("reference");
    expect(shifted.health.scoreDrift).toMatchObject({ column: "score", level: "alert" });
  });

  it("profiles a multiclass model's predicted class and a regressor's value", async () => {
    const multiclass = (await build(
      manifest({ task: "multiclass", classes: "  classes: [stay, downgrade, leave]" }),
      "multiclass",
    ))!;
    expect(multiclass.prediction).toEqual({ column: "score", kind: "class" });
    expect(multiclass.calibration).toBeUndefined();
    const predicted = multiclass.columns["score"]!;
    if (predicted.kind !== "category") throw new Error(`score is ${predicted.kind}`);
    expect(Object.keys(predicted.counts).every((c) => ["stay", "downgrade", "leave"].includes(c))).toBe(true);
    expect(Object.values(predicted.counts).reduce((s, n) => s + n, 0)).toBe(ROWS);

    const regression = (await build(
      manifest({ task: "regression", outputs: "{ value: variable }", classes: "" }),
      "regression",
    ))!;
    expect(regression.prediction).toEqual({ column: "score", kind: "value" });
    expect(regression.calibration).toBeUndefined();
    const value = regression.columns["score"]!;
    if (value.kind !== "number") throw new Error(`score is ${value.kind}`);
    expect(value.count).toBe(ROWS);
    expect(value.min!).toBeGreaterThanOrEqual(1);
  });

  it("counts a multiclass model's class probabilities one-vs-rest against the label, for drift-check's estimate", async () => {
    const m = manifest({ task: "multiclass", classes: "  classes: [basic, plus, premium]", label: "plan" });
    const profile = (await build(m, "multiclass-labelled"))!;
    const calibration = profile.classCalibration!;
    expect(calibration).toMatchObject({ label: "plan", classes: ["basic", "plus", "premium"], rows: ROWS });
    const sums = calibration.labelledScores.map((l) => {
      let rows = 0;
      let positives = 0;
      for (let at = 0; at < l.counts.length; at += 3) {
        rows += l.counts[at + 1]! + l.counts[at + 2]!;
        positives += l.counts[at + 2]!;
      }
      return { rows, positives };
    });
    // Rows alternate basic, plus: no row is premium.
    expect(sums).toEqual([
      { rows: ROWS, positives: ROWS / 2 },
      { rows: ROWS, positives: ROWS / 2 },
      { rows: ROWS, positives: 0 },
    ]);
    // Written and read back as drift-check reads it; premium has too few rows to calibrate.
    const read = parseProfile(
      JSON.parse(readFileSync(join(dir, "out", "multiclass-labelled.json"), "utf8")),
      "p.json",
    );
    const check = classCalibration(read, ["basic", "plus", "premium"]);
    expect(check.status === "not established" && check.reason).toContain("class premium has 0 of");
    const malformed = {
      ...read,
      classCalibration: { ...calibration, labelledScores: [calibration.labelledScores[0]] },
    };
    expect(() => parseProfile(malformed, "p.json")).toThrow(/labelled class probabilities are malformed/);
    // A binary model's profile has none.
    expect((await build())!.classCalibration).toBeUndefined();
  });

  it("keeps the calibration but adds no score column without monitoring.score", async () => {
    const profile = (await build(manifest({ monitoring: "" }), "unnamed"))!;
    expect(profile.columns["score"]).toBeUndefined();
    expect(profile.prediction).toBeUndefined();
    expect(profile.calibration?.rows).toBe(ROWS);
  });

  it("refuses a score name that is also a model input", async () => {
    const clash = manifest({
      monitoring: "monitoring:\n  predictions: logs/*.jsonl\n  timestamp: ts\n  score: tenure_months",
    });
    const error = await build(clash, "clash").catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(error).toMatchObject({ field: "monitoring.score", file: FILE });
    expect((error as Error).message).toContain('column "tenure_months", which is also a model input');
  });

  it("checks the data as evaluation does before loading the model", async () => {
    const m = manifest();
    const unlabelled = { ...m, evaluation: { ...m.evaluation!, label: "cancelled" } };
    const error = await build(unlabelled, "unlabelled").catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(error).toMatchObject({ field: "evaluation.label", file: FILE });
  });

  it("profiles the data alone without a model", async () => {
    const profile = (await buildReferenceProfile(manifest(), {
      cwd: dir,
      path: join(dir, "out", "data.json"),
    }))!;
    expect(profile.rows).toBe(ROWS);
    expect(profile.columns["score"]).toBeUndefined();
    expect(profile.prediction).toBeUndefined();
    expect(profile.calibration).toBeUndefined();
  });
});
