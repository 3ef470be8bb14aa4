import { describe, expect, it } from "vitest";
import { fairnessRequests } from "../gate/fairness-rule.js";
import { manifestProblem } from "./manifest-problem.test-helper.js";
import { parseManifest } from "./parse-manifest.js";

// Fairness rules and custom metrics by task: a binary model compares decision rates (the named
// criteria) or any metric; a multiclass or regression model compares its own metrics between
// groups (accuracy, MAE, …); what a task does not support is one error naming the field and what
// it does support.

const FILE = "models/m/model.yml";

function manifest(task: "multiclass" | "regression", metrics: string, rule: string, extra = ""): string {
  const outputs =
    task === "multiclass"
      ? "\n  outputs: { probabilities: probabilities }\n  classes: [a, b, c]"
      : "\n  outputs: { value: variable }";
  return `name: m
version: 1.0.0
task: ${task}
owner: "@acme/ml"
artefact:
  path: models/m/model.onnx
  sha256: "${"a".repeat(64)}"${outputs}
evaluation:
  data: data/eval.csv
  label: y
  metrics: [${metrics}]
  slices: [region]${extra}
gate:
  rules:
    - ${rule}
`;
}

const problem = (text: string) => manifestProblem(text, FILE);

describe("fairness rules by task", () => {
  it("accepts a multiclass metric's gap between groups, with confidence", () => {
    const rule = "{ fairness: accuracy, across: region, max-gap: 0.05, confidence: 0.95 }";
    const parsed = parseManifest(manifest("multiclass", "accuracy, f1_macro", rule), FILE);
    expect(parsed.gate?.rules[0]).toMatchObject({ fairness: "accuracy", confidence: 0.95 });
  });

  it("accepts a regression metric's gap (MAE) and ratio between groups", () => {
    expect(
      problem(manifest("regression", "mae, rmse", "{ fairness: mae, across: region, max-gap: 2 }")),
    ).toBe("");
    expect(
      problem(manifest("regression", "mae, rmse", "{ fairness: rmse, across: region, min-ratio: 0.8 }")),
    ).toBe("");
  });

  it.each([
    [
      "multiclass",
      "accuracy, f1_macro",
      "equalized_odds",
      "recall and fpr",
      "{ fairness: accuracy, across: region, max-gap: 0.05 }",
    ],
    [
      "regression",
      "mae",
      "demographic_parity",
      "selection_rate",
      "{ fairness: mae, across: region, max-gap: 2 }",
    ],
  ] as const)(
    "refuses a %s model's criterion (metrics %s: %s) with one error saying what the task compares",
    (task, metrics, criterion, rates, example) => {
      const message = problem(
        manifest(task, metrics, `{ fairness: ${criterion}, across: region, max-gap: 0.1 }`),
      );
      expect(message).toContain("gate.rules[0].fairness");
      expect(message).toContain(
        `${criterion} compares the rates of a binary decision (${rates}), and this model is ${task}`,
      );
      expect(message).toContain(example);
      // Not a second error asking to add the binary rates to evaluation.metrics.
      expect(message).not.toContain("not computed by evaluation.metrics");
    },
  );

  it("refuses a binary metric's gap for a multiclass model, naming the task's metrics", () => {
    const message = problem(
      manifest("multiclass", "accuracy", "{ fairness: recall, across: region, max-gap: 0.1 }"),
    );
    expect(message).toContain("gate.rules[0].fairness");
    expect(message).toContain("recall is not a multiclass metric");
    expect(message).toContain("accuracy, f1_macro, f1_weighted, log_loss");
  });
});

describe("one class against the rest (multiclass)", () => {
  const rule = (fields: string) => `{ fairness: equal_opportunity, across: region, max-gap: 0.1, ${fields} }`;

  it("accepts a criterion or a rate naming one of artefact.classes, without binary metrics in evaluation.metrics", () => {
    const parsed = parseManifest(
      manifest("multiclass", "accuracy", rule("class: b, confidence: 0.95")),
      FILE,
    );
    expect(parsed.gate?.rules[0]).toMatchObject({ fairness: "equal_opportunity", class: "b" });
    expect(fairnessRequests(parsed)).toEqual([
      {
        across: "region",
        criterion: "equal_opportunity",
        confidence: 0.95,
        class: { index: 1, name: "b" },
        maxGap: 0.1,
      },
    ]);
    const rate = "{ fairness: fpr, across: region, min-ratio: 0.8, class: c }";
    expect(problem(manifest("multiclass", "accuracy", rate))).toBe("");
  });

  it.each([
    [
      "a class that is not one of artefact.classes",
      "multiclass",
      rule("class: d"),
      "gate.rules[0].class: d is not one of artefact.classes (a, b, c)",
    ],
    [
      "a metric that is not a one-vs-rest rate",
      "multiclass",
      "{ fairness: accuracy, across: region, max-gap: 0.1, class: a }",
      "gate.rules[0].fairness: accuracy is not a rate of one class against the rest",
    ],
    [
      "a class on a regression model",
      "regression",
      "{ fairness: mae, across: region, max-gap: 2, class: a }",
      "gate.rules[0].class: class: compares one class against the rest, for multiclass models; this model is regression",
    ],
  ] as const)("refuses %s with one error", (_, task, text, expected) => {
    const message = problem(manifest(task, task === "multiclass" ? "accuracy" : "mae", text));
    expect(message).toContain(expected);
    expect(message).not.toContain("problems:");
  });

  it("suggests class: when a multiclass model names a criterion without one", () => {
    const message = problem(
      manifest("multiclass", "accuracy", "{ fairness: equalized_odds, across: region, max-gap: 0.1 }"),
    );
    expect(message).toContain(
      "or one class against the rest: { fairness: equalized_odds, class: a, across: region, max-gap: 0.1 }",
    );
  });
});

describe("custom metrics by task", () => {
  it.each(["multiclass", "regression"] as const)(
    "from: counts (the default) is one error for a %s model, naming from: rows and the built-in metrics",
    (task) => {
      const extra = '\n  custom-metrics:\n    spend: { expression: "15 * (tp + fp) / n" }';
      const metrics = task === "multiclass" ? "accuracy" : "mae";
      const rule = task === "multiclass" ? "{ metric: accuracy, min: 0.5 }" : "{ metric: mae, max: 3 }";
      const message = problem(manifest(task, metrics, rule, extra));
      expect(message).toContain("evaluation.custom-metrics.spend.from");
      expect(message).toContain("from: counts custom metrics are defined on a binary decision");
      expect(message).toContain(`this model is ${task}`);
      expect(message).toContain(
        task === "multiclass"
          ? "from: rows on each row's correct, probability, confidence"
          : "from: rows on each row's label, prediction, error",
      );
      expect(message).toContain(task === "multiclass" ? "accuracy, f1_macro" : "mae, rmse, r2, mape");
      expect(message.match(/custom-metrics\.spend/g)).toHaveLength(1);
    },
  );

  it.each([
    ["regression", "mae", "{ metric: within_5, min: 0.8 }", "within_5", "abs(error) <= 5"],
    ["regression", "mae", "{ metric: over, max: 0.5 }", "over", "label < prediction"],
    [
      "multiclass",
      "accuracy",
      "{ metric: sure_right, min: 0.5 }",
      "sure_right",
      "correct * (confidence >= 0.8)",
    ],
    ["multiclass", "accuracy", "{ metric: log_loss_own, max: 1 }", "log_loss_own", "-log(probability)"],
  ] as const)(
    "accepts from: rows on a %s model's names (%s: %s)",
    (task, metrics, rule, name, expression) => {
      const extra = `\n  custom-metrics:\n    ${name}: { from: rows, expression: "${expression}" }`;
      expect(problem(manifest(task, metrics, rule, extra))).toBe("");
    },
  );

  it.each([
    ["regression", "abs(label - score) <= 5", "unknown name score: use one of label, prediction, error"],
    ["multiclass", "label == prediction", "unknown name label: use one of correct, probability, confidence"],
  ] as const)(
    "a name a %s model's rows do not have is one error naming the allowed names",
    (task, expression, text) => {
      const metrics = task === "multiclass" ? "accuracy" : "mae";
      const rule = task === "multiclass" ? "{ metric: accuracy, min: 0.5 }" : "{ metric: mae, max: 3 }";
      const extra = `\n  custom-metrics:\n    mine: { from: rows, expression: "${expression}" }`;
      const message = problem(manifest(task, metrics, rule, extra));
      expect(message).toContain("evaluation.custom-metrics.mine.expression");
      expect(message).toContain(text);
      expect(message).toContain(`of a ${task} model`);
    },
  );
});
