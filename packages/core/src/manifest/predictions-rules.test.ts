import { describe, expect, it } from "vitest";
import { manifestProblem } from "./manifest-problem.test-helper.js";
import { parseManifest } from "./parse-manifest.js";

// The manifest rules of evaluation.predictions (scores supplied, no model run): each mistake is one
// error naming its field.

const FILE = "models/svc/model.yml";
const SHA = "ab".repeat(32);

function manifest(options: {
  task?: string;
  artefact?: string;
  evaluation?: string;
  extra?: string;
  data?: string;
}) {
  return [
    "name: svc",
    "version: 1.0.0",
    `task: ${options.task ?? "binary"}`,
    '"owner": "@acme/ml"',
    `artefact: ${options.artefact ?? `{ path: models/svc/model.pkl, sha256: "${SHA}", classes: [0, 1], positive: 1 }`}`,
    ...(options.data ? [`data: ${options.data}`] : []),
    "evaluation:",
    "  data: eval.csv",
    "  label: y",
    `  metrics: [${options.task === "regression" ? "rmse" : "accuracy"}]`,
    options.evaluation ?? "  predictions: { candidate: score }",
    options.extra ?? "",
  ].join("\n");
}

const problem = (text: string) => manifestProblem(text, FILE);

describe("evaluation.predictions rules", () => {
  it("accepts a binary model with no outputs, a positive-class column and any artefact file", () => {
    const parsed = parseManifest(manifest({}), FILE);
    expect(parsed.evaluation?.predictions).toEqual({ candidate: "score" });
    expect(parsed.artefact.outputs).toEqual({});
  });

  it("accepts a regression model with one value column and no outputs", () => {
    const text = manifest({ task: "regression", artefact: `{ path: m.bin, sha256: "${SHA}" }` });
    expect(parseManifest(text, FILE).evaluation?.predictions?.candidate).toBe("score");
  });

  it("refuses several columns for a regression model", () => {
    const text = manifest({
      task: "regression",
      artefact: `{ path: m.bin, sha256: "${SHA}" }`,
      evaluation: "  predictions: { candidate: [a, b] }",
    });
    expect(problem(text)).toMatch(
      /evaluation\.predictions\.candidate: a regression model has one predicted value, found 2 columns/,
    );
  });

  it("refuses one column for a multiclass model", () => {
    const text = manifest({
      task: "multiclass",
      artefact: `{ path: m.bin, sha256: "${SHA}", classes: [a, b, c] }`,
    });
    expect(problem(text)).toMatch(
      /evaluation\.predictions\.candidate: a multiclass model's scores are one probability column per class/,
    );
  });

  it("refuses a baseline with another number of classes", () => {
    const text = manifest({ evaluation: "  predictions: { candidate: [p0, p1], baseline: [q0, q1, q2] }" });
    expect(problem(text)).toMatch(
      /evaluation\.predictions\.baseline: scores for 3 classes, but artefact\.classes lists 2/,
    );
  });

  it("needs a key to join a predictions file by", () => {
    const text = manifest({ evaluation: "  predictions: { file: p.csv, candidate: score }" });
    expect(problem(text)).toMatch(/evaluation\.predictions\.key: missing: a predictions file is joined/);
    const keyed = manifest({
      evaluation: "  predictions: { file: p.csv, candidate: score }",
      data: "{ key: id }",
    });
    expect(problem(keyed)).toBe("");
  });

  it("needs the artefact's SHA-256, which is all that verifies it", () => {
    const text = manifest({ artefact: "{ path: models/svc/model.pkl, classes: [0, 1], positive: 1 }" });
    expect(problem(text)).toMatch(
      /artefact\.sha256: missing: with supplied predictions the artefact is verified by its SHA-256 alone/,
    );
  });

  it("refuses evaluation.baseline beside supplied scores, and a change rule without baseline scores", () => {
    const both = manifest({ evaluation: "  baseline: production\n  predictions: { candidate: score }" });
    expect(problem(both)).toMatch(
      /evaluation\.baseline: a baseline model cannot be run beside supplied scores/,
    );
    const rule = "gate: { rules: [{ metric: accuracy, max-drop: 0.01, vs: baseline }] }";
    expect(problem(manifest({ extra: rule }))).toMatch(
      /gate\.rules\[0\]\.vs: nothing to compare against: the scores are supplied and evaluation\.predictions\.baseline is not set/,
    );
    const withBaseline = manifest({
      evaluation: "  predictions: { candidate: score, baseline: old }",
      extra: rule,
    });
    expect(problem(withBaseline)).toBe("");
  });
});
