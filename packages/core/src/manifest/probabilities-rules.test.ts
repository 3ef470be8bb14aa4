import { describe, expect, it } from "vitest";
import { manifestProblem } from "./manifest-problem.test-helper.js";
import { parseManifest } from "./parse-manifest.js";

// The manifest rules of the label-free estimate's inputs: monitoring.probabilities (multiclass, one
// field per class) and estimated limits (none for regression).

const FILE = "models/plan/model.yml";

function manifest(task: string, classes: string, monitoring: string) {
  return [
    "name: plan",
    "version: 1.0.0",
    `task: ${task}`,
    '"owner": "@acme/ml"',
    `artefact: { path: m.onnx, outputs: { ${task === "regression" ? "value: v" : "probabilities: p"} }${classes} }`,
    "monitoring:",
    "  predictions: logs/*.jsonl",
    "  timestamp: ts",
    monitoring,
  ].join("\n");
}

describe("monitoring.probabilities and estimated limits", () => {
  it("accepts one probability field per class of a multiclass model, and estimated accuracy and f1_macro", () => {
    const text = manifest(
      "multiclass",
      ", classes: [a, b, c]",
      "  probabilities: [p_a, p_b, p_c]\n  prediction:\n    estimated: { accuracy: { max-drop: 0.05 }, f1_macro: { min: 0.6 } }",
    );
    const parsed = parseManifest(text, FILE);
    expect(parsed.monitoring?.probabilities).toEqual(["p_a", "p_b", "p_c"]);
    expect(parsed.monitoring?.prediction?.estimated?.f1_macro).toEqual({ min: 0.6 });
  });

  it("refuses a field count other than the classes', and probabilities on a binary model", () => {
    expect(
      manifestProblem(manifest("multiclass", ", classes: [a, b, c]", "  probabilities: [p_a, p_b]"), FILE),
    ).toContain(
      "monitoring.probabilities: lists 2 fields for 3 classes (artefact.classes). Fix: list one field per class, in artefact.classes order: a, b, c",
    );
    expect(
      manifestProblem(
        manifest("binary", ", classes: [0, 1], positive: 1", "  probabilities: [p0, p1]"),
        FILE,
      ),
    ).toContain(
      "monitoring.probabilities: lists per-class probability fields, which only a multiclass model logs",
    );
  });

  it("refuses estimated limits on a regression model, naming what to hold instead", () => {
    const text = manifest("regression", "", "  prediction:\n    estimated: { accuracy: { min: 0.5 } }");
    expect(manifestProblem(text, FILE)).toContain(
      "monitoring.prediction.estimated: sets limits on a label-free estimate, which drift-check has none of for regression",
    );
  });
});
