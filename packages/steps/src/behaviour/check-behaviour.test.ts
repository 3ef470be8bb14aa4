import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseManifest } from "@gauntlet/core";
import { logisticModel, multiclassModel, regressionModel } from "@gauntlet/fixtures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkBehaviour } from "./check-behaviour.js";

// Each test writes a small table and logistic models whose scores are known from their weights:
// score = sigmoid(w1 * x1 + w2 * x2 + b).
const FILE = "models/m/model.yml";
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gauntlet-behaviour-"));
  mkdirSync(join(dir, "models/m"), { recursive: true });
  const rows = ["id,x1,x2,y"];
  for (let i = 0; i < 200; i++)
    rows.push(`c${i},${((i * 37) % 200) / 50 - 2},${((i * 53) % 200) / 50 - 2},${i % 2}`);
  writeFileSync(join(dir, "eval.csv"), `${rows.join("\n")}\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function model(path: string, weights: number[], inputType: "float" | "int64" = "float"): string {
  const bytes = logisticModel({ weights, bias: 0, features: ["x1", "x2"], inputType });
  writeFileSync(join(dir, path), bytes);
  return createHash("sha256").update(bytes).digest("hex");
}

const METRIC: Record<string, string> = { binary: "roc_auc", multiclass: "accuracy", regression: "rmse" };

function manifest(
  sha: string,
  behaviour: string,
  kind = { task: "binary", outputs: "{ probabilities: probabilities }", classes: "[0, 1], positive: 1" },
) {
  const classes = kind.classes ? `, classes: ${kind.classes}` : "";
  const text = `name: m
version: 1.0.0
task: ${kind.task}
owner: octocat
artefact: { path: models/m/model.onnx, sha256: "${sha}", inputs: { numeric: [x1, x2] }, outputs: ${kind.outputs}${classes} }
data:
  columns:
    x1: { type: number, min: -3, max: 3 }
    x2: { type: number, min: -3, max: 3, nullable: false }
evaluation: { data: eval.csv, label: y, seed: 3, metrics: [${METRIC[kind.task]}] }
behaviour:
${behaviour}`;
  return { file: FILE, manifest: parseManifest(text, FILE) };
}

describe("checkBehaviour", () => {
  it("runs every kind of test on candidate and production and leads with the newly failing one", async () => {
    const sha = model("models/m/model.onnx", [1, -1]);
    model("prod.onnx", [1, 0]);
    writeFileSync(join(dir, "cases.csv"), "x1,x2,expected,max_score\n2,-2,1,\n-2,2,0,\n0,0,,0.6\n");
    const loaded = manifest(
      sha,
      `  cases: cases.csv
  sample: 100
  invariance: [ { column: x2, range: [-1, 1], tolerance: 0.05 } ]
  directional: [ { column: x1, by: 0.5, expect: increase } ]
  edge-cases: true
  robustness: { noise: 0.05, max-flip-rate: 0.2 }
`,
    );
    const { result, markdown } = await checkBehaviour(loaded, { cwd: dir, productionModel: "prod.onnx" });
    expect(result.tests.map((t) => [t.name, t.candidate.status, t.production?.status])).toEqual([
      ["known-cases", "pass", "pass"],
      ["invariance:x2", "fail", "pass"],
      ["directional:x1", "pass", "pass"],
      ["edge-cases", "fail", "fail"], // a null x1 or x2 reaches the model as NaN: the score is NaN
      ["robustness-flip-rate", "pass", "pass"],
      ["robustness-score-change", "pass", "pass"],
      ["out-of-distribution", "warn", "warn"], // sigmoid saturates far out
    ]);
    // Sigmoid's slope is at most 1/4: moving x2 by 2 moves the score by at most 0.5, and the row
    // nearest x1 = 0 moves by nearly that.
    const spread = result.tests[1]!.candidate.value!;
    expect(spread).toBeLessThanOrEqual(1 / (1 + Math.exp(-1)) - 1 / (1 + Math.exp(1)) + 1e-6);
    expect(spread).toBeGreaterThan(0.4);
    expect(result.checks[0]).toMatchObject({ id: "invariance", column: "x2", status: "fail", limit: 0.05 });
    expect(result.checks[0]!.reason).toMatch(/^newly failing \(production passes\)/);
    expect(result.status).toBe("fail");
    expect(result.sample).toEqual({ source: "eval.csv", rows: 100 });
    expect(result.disagreements).toHaveLength(5);
    expect(markdown).toContain("### Behaviour");
    expect(markdown).toContain("(newly failing: invariance:x2)");
  });

  it("leaves rows' values out of the result and report when a contract column is sensitive", async () => {
    const sha = model("models/m/model.onnx", [1, -1]);
    model("prod.onnx", [1, 0]);
    const loaded = manifest(sha, "  invariance: [ { column: x2, range: [-1, 1], tolerance: 0.05 } ]\n");
    const x1 = loaded.manifest.data!.columns["x1"]!;
    loaded.manifest.data!.columns["x1"] = { ...x1, sensitive: true };
    const { result, markdown } = await checkBehaviour(loaded, { cwd: dir, productionModel: "prod.onnx" });
    expect(result.disagreements).toBeNull();
    const examples = result.tests[0]!.candidate.examples;
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) expect(e.inputs).toEqual({});
    expect(result.notes[0]).toMatch(/x1 is marked sensitive/);
    expect(markdown).not.toContain("| x1 |");
    expect(markdown).not.toContain("disagree most");
    // examples: true shows them again.
    const shown = await checkBehaviour(
      {
        ...loaded,
        manifest: { ...loaded.manifest, behaviour: { ...loaded.manifest.behaviour!, examples: true } },
      },
      { cwd: dir, productionModel: "prod.onnx" },
    );
    expect(shown.result.disagreements).toHaveLength(5);
  });

  it("tests a multiclass model: class probabilities, the decided class and a named class's direction", async () => {
    // Class a's logit is -2·x1 (+ x2 · slope for production), class b's 0, class c's 2·x1.
    const classes = (slope: number) =>
      multiclassModel({
        weights: [
          [-2, slope],
          [0, 0],
          [2, 0],
        ],
        bias: [0, 0, 0],
        features: ["x1", "x2"],
      });
    const bytes = classes(0);
    writeFileSync(join(dir, "models/m/model.onnx"), bytes);
    writeFileSync(join(dir, "prod.onnx"), classes(0.5));
    writeFileSync(join(dir, "cases.csv"), "x1,x2,expected,min_score\n3,0,c,0.9\n-3,0,a,\n0,0,c,\n");
    const sha = createHash("sha256").update(bytes).digest("hex");
    const loaded = manifest(
      sha,
      `  cases: cases.csv
  sample: 100
  invariance: [ { column: x2, range: [-1, 1], tolerance: 0.05 } ]
  directional: [ { column: x1, by: 0.5, expect: increase, class: c }, { column: x1, by: 0.5, expect: increase, class: a } ]
  edge-cases: true
  robustness: { noise: 0.05, max-flip-rate: 0.5, max-score-change: 0.5 }
`,
      { task: "multiclass", outputs: "{ probabilities: probabilities }", classes: "[a, b, c]" },
    );
    const { result, markdown } = await checkBehaviour(loaded, { cwd: dir, productionModel: "prod.onnx" });
    expect(result.task).toBe("multiclass");
    const byName = new Map(result.tests.map((t) => [t.name, t]));
    // x1 = 0 gives equal logits: class a (the first) is decided, not c.
    const known = byName.get("known-cases")!.candidate;
    expect(known.value).toBe(1);
    expect(known.examples[0]!.note).toBe("row 3: score 0.333; predicted a, expected c");
    // The candidate ignores x2; production's class a moves with it.
    expect(byName.get("invariance:x2")!.candidate).toMatchObject({ status: "pass", value: 0 });
    expect(byName.get("invariance:x2")!.production!.status).toBe("fail");
    // Raising x1 raises P(c) and lowers P(a) on every row.
    expect(result.tests.filter((t) => t.kind === "directional")[0]!.candidate.value).toBe(0);
    expect(result.tests.filter((t) => t.kind === "directional")[1]!.candidate).toMatchObject({
      status: "fail",
      value: 1,
    });
    expect(result.tests.filter((t) => t.kind === "directional")[1]!.candidate.reason).toMatch(
      /moves the probability of class a the wrong way \(down\) on 100% of 100 rows/,
    );
    expect(byName.get("robustness-flip-rate")!.candidate.status).toBe("pass");
    expect(byName.get("robustness-flip-rate")!.unit).toBe("share of decisions flipped");
    // Confidence is the largest class probability: far out along x1 it saturates at 1.
    expect(byName.get("out-of-distribution")!.candidate.status).toBe("warn");
    expect(result.disagreements![0]!.candidateClass).toMatch(/^[abc]$/);
    expect(markdown).toMatch(/\| [abc] \(0\.\d{3}\) \| [abc] \(0\.\d{3}\) \|/);
  });

  it("tests a regressor: value spreads, the value's direction, moves past a tolerance; no confidence far out", async () => {
    // value = 10 * x1 + 0 * x2 + 5
    const bytes = regressionModel({ weights: [10, 0], bias: 5, features: ["x1", "x2"] });
    writeFileSync(join(dir, "models/m/model.onnx"), bytes);
    writeFileSync(join(dir, "cases.csv"), "x1,x2,min_score,max_score\n1,0,14,16\n2,0,,20\n");
    const sha = createHash("sha256").update(bytes).digest("hex");
    const loaded = manifest(
      sha,
      `  cases: cases.csv
  sample: 100
  invariance: [ { column: x2, range: [-1, 1], tolerance: 0.5 }, { column: x1, values: [0, 1], tolerance: 5 } ]
  directional: [ { column: x1, by: 0.5, expect: increase, tolerance: 0.1 } ]
  robustness: { noise: 0.1, tolerance: 1, max-flip-rate: 0.05, max-score-change: 2 }
`,
      { task: "regression", outputs: "{ value: variable }", classes: "" },
    );
    const { result } = await checkBehaviour(loaded, { cwd: dir });
    expect(result.task).toBe("regression");
    const byName = new Map(result.tests.map((t) => [t.name, t]));
    expect(byName.get("known-cases")!.candidate).toMatchObject({ status: "fail", value: 1 });
    expect(byName.get("known-cases")!.candidate.reason).toMatch(/row 2: score 25\.000; score above 20/);
    expect(byName.get("invariance:x2")!.candidate).toMatchObject({ status: "pass", value: 0 });
    // Setting x1 to 0 or 1 moves the value by exactly 10, in the target's units.
    expect(byName.get("invariance:x1")!.candidate.value).toBeCloseTo(10, 4);
    expect(byName.get("invariance:x1")!.candidate.status).toBe("fail");
    expect(byName.get("directional:x1")!.candidate.value).toBe(0);
    // x1's sd in the sample is about 1.15 (under 1.25): noise 0.1 moves x1 by up to 0.125, the value by up to 1.25.
    const flips = byName.get("robustness-flip-rate")!.candidate;
    expect(flips.value!).toBeGreaterThan(0);
    expect(flips.value!).toBeLessThan(0.3);
    expect(flips.reason).toMatch(/^predicted values move more than 1 on /);
    const change = byName.get("robustness-score-change")!.candidate;
    expect(change.value!).toBeGreaterThan(1);
    expect(change.value!).toBeLessThanOrEqual(10 * 0.1 * 1.25);
    expect(byName.get("out-of-distribution")!.candidate.status).toBe("skip");
    expect(byName.get("out-of-distribution")!.candidate.reason).toMatch(/a regressor gives no confidence/);
  });

  it("refuses task-specific fields on the wrong task, naming the field", async () => {
    const bytes = regressionModel({ weights: [10, 0], bias: 5, features: ["x1", "x2"] });
    writeFileSync(join(dir, "models/m/model.onnx"), bytes);
    const sha = createHash("sha256").update(bytes).digest("hex");
    const regression = { task: "regression", outputs: "{ value: variable }", classes: "" };
    await expect(
      checkBehaviour(manifest(sha, "  robustness: { noise: 0.1, max-flip-rate: 0.05 }\n", regression), {
        cwd: dir,
      }),
    ).rejects.toThrow(/behaviour\.robustness\.tolerance: a regressor's robustness test needs a tolerance/);
    const mc = model("models/m/model.onnx", [1, -1]);
    await expect(
      checkBehaviour(manifest(mc, "  directional: [ { column: x1, by: 1, expect: increase, class: 1 } ]\n"), {
        cwd: dir,
      }),
    ).rejects.toThrow(/behaviour\.directional\[0\]\.class: class is for multiclass models/);
    const multi = { task: "multiclass", outputs: "{ probabilities: probabilities }", classes: "[a, b, c]" };
    await expect(
      checkBehaviour(manifest(mc, "  directional: [ { column: x1, by: 1, expect: increase } ]\n", multi), {
        cwd: dir,
      }),
    ).rejects.toThrow(/must name the class whose probability should move.*one of artefact\.classes: a, b, c/);
  });

  it("reports a model that crashes on a null as a failing edge case with the input", async () => {
    const sha = model("models/m/model.onnx", [1, -1], "int64");
    writeFileSync(join(dir, "eval.csv"), "x1,x2\n1,2\n-1,0\n2,2\n");
    const loaded = manifest(sha, "  edge-cases: true\n");
    const { result } = await checkBehaviour(loaded, { cwd: dir });
    const edge = result.tests.find((t) => t.kind === "edge-cases")!;
    expect(edge.candidate.status).toBe("fail");
    const crash = edge.candidate.examples.find((e) => e.note.startsWith("x1 null:"))!;
    expect(crash.note).toMatch(/cannot hold a missing value/);
    expect(crash.inputs).toEqual({ x1: null, x2: 2 });
    expect(crash.score).toBeNull();
  });

  it("refuses a known-cases file without the model's inputs, naming the file and columns", async () => {
    const sha = model("models/m/model.onnx", [1, -1]);
    writeFileSync(join(dir, "cases.csv"), "x1,expected\n1,1\n");
    await expect(checkBehaviour(manifest(sha, "  cases: cases.csv\n"), { cwd: dir })).rejects.toThrow(
      /^cases\.csv: x2: the known-cases file has no column x2, which the model reads/,
    );
  });

  it("refuses an expected label outside the classes", async () => {
    const sha = model("models/m/model.onnx", [1, -1]);
    writeFileSync(join(dir, "cases.csv"), "x1,x2,expected\n1,1,1\n1,2,churn\n");
    await expect(checkBehaviour(manifest(sha, "  cases: cases.csv\n"), { cwd: dir })).rejects.toThrow(
      /expected class "churn" \(row 2\) is not one of the model's classes.*use one of artefact\.classes: 0, 1/,
    );
  });

  it("refuses a perturbation that leaves the contract's range before scoring", async () => {
    const sha = model("models/m/model.onnx", [1, -1]);
    const loaded = manifest(sha, "  invariance: [ { column: x1, values: [0, 5], tolerance: 0.1 } ]\n");
    await expect(checkBehaviour(loaded, { cwd: dir })).rejects.toThrow(
      /behaviour\.invariance\[0\]\.values: 5 is outside the contract's range \[-3, 3\]/,
    );
  });
});
