import { describe, expect, it } from "vitest";
import { manifestProblem } from "./manifest-problem.test-helper.js";
import { parseManifest } from "./parse-manifest.js";

// The manifest rules of shadow: fields that belong to one task: each mistake is one error naming its field.

const FILE = "models/svc/model.yml";
const SHA = "ab".repeat(32);
const ARTEFACT: Record<string, string> = {
  binary: `{ path: m.pkl, sha256: "${SHA}", classes: [0, 1], positive: 1 }`,
  multiclass: `{ path: m.pkl, sha256: "${SHA}", classes: [basic, plus, pro] }`,
  regression: `{ path: m.pkl, sha256: "${SHA}" }`,
};
const METRIC: Record<string, string> = { binary: "accuracy", multiclass: "accuracy", regression: "rmse" };

function manifest(task: string, shadow: string): string {
  return [
    "name: svc",
    "version: 1.0.0",
    `task: ${task}`,
    'owner: "@acme/ml"',
    `artefact: ${ARTEFACT[task]}`,
    `evaluation: { data: eval.csv, label: y, metrics: [${METRIC[task]}], predictions: { candidate: ${task === "multiclass" ? "[a, b, c]" : "score"} } }`,
    `shadow: { log: logs/s.jsonl, id: request_id, ${shadow} }`,
    "",
  ].join("\n");
}

const problem = (text: string) => manifestProblem(text, FILE);

describe("shadow rules per task", () => {
  it("accepts each task's own fields", () => {
    expect(problem(manifest("binary", "champion: score, threshold: 0.3"))).toBe("");
    expect(problem(manifest("regression", "champion: served, tolerance: 2.5"))).toBe("");
    const multiclass = parseManifest(
      manifest("multiclass", "champion: served, challenger: [p_a, p_b, p_c]"),
      FILE,
    );
    expect(multiclass.shadow?.challenger).toEqual(["p_a", "p_b", "p_c"]);
  });

  it("refuses a threshold for a multiclass model and a tolerance for a binary one", () => {
    expect(problem(manifest("multiclass", "champion: served, threshold: 0.5"))).toMatch(
      /shadow\.threshold: a decision threshold is for binary models, and this model is multiclass\. Fix: remove it: a multiclass comparison compares the predicted classes/,
    );
    expect(problem(manifest("binary", "champion: score, tolerance: 0.1"))).toMatch(
      /shadow\.tolerance: a tolerance between predicted values is for regression models, and this model is binary/,
    );
  });

  it("refuses probability fields of the wrong number, or for a task other than multiclass", () => {
    expect(problem(manifest("multiclass", "champion: [p_a, p_b]"))).toMatch(
      /shadow\.champion: lists 2 probability fields for the 3 classes of artefact\.classes/,
    );
    expect(problem(manifest("regression", "champion: served, challenger: [a, b]"))).toMatch(
      /shadow\.challenger: lists 2 fields, but only a multiclass model logs one probability per class\. Fix: name the one field holding the challenger's predicted value/,
    );
  });
});
