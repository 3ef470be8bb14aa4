import { parseManifest } from "@gauntlet/core";
import { describe, expect, it } from "vitest";
import { isFeature } from "./drift-fields.js";

describe("isFeature", () => {
  it("never takes the key, label, sample weight, id or score for a feature when every column could be one", () => {
    const manifest = parseManifest(
      `name: churn
version: 1.3.0
task: binary
owner: octocat
artefact: { path: m.onnx, outputs: { probabilities: p }, classes: [0, 1], positive: 1 }
data: { key: customer_id, columns: {} }
evaluation: { data: data/eval.csv, label: churned, metrics: [roc_auc], weight: exposure }
monitoring: { predictions: logs/*.jsonl, id: request_id, timestamp: ts, score: score }
`,
      "models/churn/model.yml",
    );
    const feature = isFeature(manifest);
    expect(["customer_id", "churned", "exposure", "request_id", "score"].filter(feature)).toEqual([]);
    expect(feature("tenure_months")).toBe(true);
  });
});
