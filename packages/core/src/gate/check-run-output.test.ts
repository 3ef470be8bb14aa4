import { describe, expect, it } from "vitest";
import { CHECK_RUN_TEXT_LIMIT, checkRunConclusion, renderCheckRunOutput } from "./check-run-output.js";
import { evaluateGate } from "./evaluate-gate.js";
import { evaluationJson, gateOn, manifestWithGate, SHA } from "./gate-fixtures.test-helper.js";

describe("check run output", () => {
  it("maps the verdict to a conclusion, neutral while pending", () => {
    expect(checkRunConclusion("pass")).toBe("success");
    expect(checkRunConclusion("fail")).toBe("failure");
    expect(checkRunConclusion("pending")).toBe("neutral");
  });

  it("titles the run and puts the rules table, failing first, in the text", () => {
    const output = renderCheckRunOutput(
      gateOn([{ metric: "roc_auc", min: 0.8, slices: ["region"] }], evaluationJson()),
    );
    expect(output.title).toBe("Gate failed: 1 failing check");
    expect(output.summary.split("\n")[0]).toBe(
      "- 1 of 5 gate checks failed: roc\\_auc 0.75 &lt; 0.8 slice region\\=SA",
    );
    expect(output.text.split("\n")[2]).toMatch(/^\| ❌ \| roc\\_auc ≥ 0\.8, region slices \| region\\=SA \|/);

    const pending = evaluateGate({
      manifest: manifestWithGate({ approvals: { min: 2 } }),
      results: { evaluation: evaluationJson() },
      artefactSha256: SHA,
    });
    expect(renderCheckRunOutput(pending).title).toBe("Gate pending: waiting for 2 approvals");
  });

  it("fits GitHub's limit however many checks there are", () => {
    const evaluation = evaluationJson();
    evaluation.slices = Array.from({ length: 5000 }, (_, i) => ({
      key: { region: `région-${"é".repeat(60)}-${i}` },
      n: 100,
      suppressed: false,
      metrics: { roc_auc: { value: 0.5, ci: null } },
    }));
    const output = renderCheckRunOutput(gateOn([{ metric: "roc_auc", min: 0.8, slices: "all" }], evaluation));
    expect(new TextEncoder().encode(output.text).length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    expect(output.text).toMatch(/…and \d+ more checks not shown \(see gate\.json\)\.$/);
    expect(new TextEncoder().encode(output.summary).length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
  });
});
