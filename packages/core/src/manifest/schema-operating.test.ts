import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST_YAML } from "./example.js";
import { ManifestError } from "./manifest-error.js";
import { parseManifest } from "./parse-manifest.js";
import { operatingSpecOf } from "./schema-operating.js";

const FILE = "models/churn/model.yml";
const METRICS_LINE =
  "  metrics: [roc_auc, average_precision, f1, precision, recall, accuracy, log_loss, brier, ece]";

function withEvaluation(metrics: string, extra: string): string {
  expect(EXAMPLE_MANIFEST_YAML).toContain(METRICS_LINE);
  return EXAMPLE_MANIFEST_YAML.replace(METRICS_LINE, `  metrics: [${metrics}]\n${extra}`);
}

function messageOf(text: string): string {
  try {
    parseManifest(text, FILE);
  } catch (error) {
    if (error instanceof ManifestError) return error.message;
    throw error;
  }
  throw new Error("expected parseManifest to throw");
}

describe("evaluation.costs and evaluation.operating-point", () => {
  it("parse into the spec evaluate takes", () => {
    const m = parseManifest(
      withEvaluation(
        "roc_auc, recall, value, value_max, recall_at_precision, fpr_at_tpr, precision_at_k",
        "  costs: { tp: 120, fp: -15, fn: -120, tn: 0 }\n  operating-point: { min-precision: 0.8, target-tpr: 0.9, k: 50 }",
      ),
      FILE,
    );
    expect(operatingSpecOf(m.evaluation!)).toEqual({
      costs: { tp: 120, fp: -15, fn: -120, tn: 0 },
      minPrecision: 0.8,
      targetTpr: 0.9,
      k: 50,
    });
  });
  it("a value metric without costs names the metric, the missing field and an example", () => {
    const message = messageOf(withEvaluation("roc_auc, recall, value", ""));
    expect(message).toContain("evaluation.metrics[2]");
    expect(message).toContain("value needs evaluation.costs");
    expect(message).toContain("costs: { tp: 120");
  });
  it("an operating-point metric without its target names evaluation.operating-point's field", () => {
    const message = messageOf(
      withEvaluation("roc_auc, recall, precision_at_k", "  operating-point: { min-precision: 0.8 }"),
    );
    expect(message).toContain("precision_at_k needs evaluation.operating-point.k");
  });
  it("rejects a cost matrix with a missing outcome and a precision above 1", () => {
    expect(messageOf(withEvaluation("value", "  costs: { tp: 1, fp: -1, fn: 0 }"))).toMatch(
      /evaluation\.costs\.tn/,
    );
    expect(
      messageOf(withEvaluation("recall_at_precision", "  operating-point: { min-precision: 1.5 }")),
    ).toMatch(/evaluation\.operating-point\.min-precision/);
  });
});

describe("fairness criteria in gate rules", () => {
  const RULE = "    - { fairness: recall, across: region, max-gap: 0.05 }";
  const withRule = (metrics: string, rule: string) => {
    expect(EXAMPLE_MANIFEST_YAML).toContain(RULE);
    return withEvaluation(metrics, "").replace(RULE, `${RULE}\n    - ${rule}`);
  };
  it("accepts equalized_odds when recall and fpr are computed", () => {
    const m = parseManifest(
      withRule("roc_auc, recall, fpr", "{ fairness: equalized_odds, across: region, max-gap: 0.1 }"),
      FILE,
    );
    expect(m.gate?.rules[5]).toMatchObject({ fairness: "equalized_odds", across: "region", "max-gap": 0.1 });
  });
  it("names the metric a criterion compares that evaluation.metrics lacks", () => {
    const message = messageOf(
      withRule("roc_auc, recall", "{ fairness: equalized_odds, across: region, max-gap: 0.1 }"),
    );
    expect(message).toContain("gate.rules[5].fairness: equalized_odds compares recall and fpr");
    expect(message).toContain("add fpr to evaluation.metrics");
    expect(
      messageOf(
        withRule("roc_auc, recall", "{ fairness: demographic_parity, across: region, min-ratio: 0.8 }"),
      ),
    ).toContain("add selection_rate to evaluation.metrics");
  });
});

describe("evaluation.custom-metrics", () => {
  const withCustom = (definitions: string, rule = "") => {
    const text = withEvaluation("roc_auc, recall", `  custom-metrics:\n${definitions}`);
    const GATE = "    - { metric: roc_auc, min: 0.80 }";
    expect(text).toContain(GATE);
    return rule ? text.replace(GATE, `${GATE}\n    - ${rule}`) : text;
  };
  it("parses a definition and lets gate rules hold the metric by name", () => {
    const m = parseManifest(
      withCustom(
        "    net_value: { expression: '(tp * 120 - fp * 15 - fn * 120) / n' }",
        "{ metric: net_value, min: 5 }",
      ),
      FILE,
    );
    expect(m.evaluation?.["custom-metrics"]?.net_value).toEqual({
      from: "counts",
      expression: "(tp * 120 - fp * 15 - fn * 120) / n",
      direction: "higher",
    });
    expect(m.gate?.rules[1]).toMatchObject({ metric: "net_value", min: 5 });
  });
  it("refuses code, naming the field and the position", () => {
    const message = messageOf(withCustom("    evil: { expression: 'process.exit(1)' }"));
    expect(message).toContain("evaluation.custom-metrics.evil.expression");
    expect(message).toContain('unexpected character ".": only numbers');
    expect(message).toContain("(at character 8)");
    expect(messageOf(withCustom("    evil: { expression: 'constructor(1)' }"))).toContain(
      "unknown function constructor: use one of abs, sqrt, log, exp, min, max, if",
    );
    expect(messageOf(withCustom("    mae: { from: rows, expression: 'abs(label - tp)' }"))).toContain(
      "unknown name tp: use one of label, score, prediction",
    );
  });
  it("refuses an oversized expression, naming the field", () => {
    const long = `${"tp + ".repeat(120)}tp`;
    const message = messageOf(withCustom(`    big: { expression: '${long}' }`));
    expect(message).toContain("evaluation.custom-metrics.big.expression");
    expect(message).toContain(`the expression is ${long.length} characters long; at most 500 are allowed`);
  });
  it("refuses a built-in metric's name and a gate rule on an undefined metric", () => {
    expect(messageOf(withCustom("    recall: { expression: 'tp / n' }"))).toContain(
      "evaluation.custom-metrics.recall: recall is a built-in metric",
    );
    const message = messageOf(withCustom("    net: { expression: 'tp - fp' }", "{ metric: nett, min: 5 }"));
    expect(message).toContain("gate.rules[1].metric: nett is not a binary metric");
    expect(message).toContain("or a custom metric: net");
  });
});
