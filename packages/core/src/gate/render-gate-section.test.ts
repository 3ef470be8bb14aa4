import { describe, expect, it } from "vitest";
import { evaluateGate } from "./evaluate-gate.js";
import { APPROVED, evaluationJson, manifestWithGate, SHA } from "./gate-fixtures.test-helper.js";
import { renderGateSection } from "./render-gate-section.js";

function hostileGate(reviews = APPROVED.reviews) {
  const evaluation = evaluationJson();
  evaluation.slices[1]!.key = { region: "@everyone <img>|x" };
  return evaluateGate({
    manifest: manifestWithGate({
      rules: [{ metric: "roc_auc", min: 0.8, slices: ["region"] }],
      approvals: { min: 1, from: ["octocat", "@acme/risk-leads"] },
    }),
    results: { evaluation },
    approvals: { ...APPROVED, reviews },
    artefactSha256: SHA,
  });
}

describe("renderGateSection", () => {
  it("leads with the verdict and lists failing checks before passing ones", () => {
    const text = renderGateSection(hostileGate());
    expect(
      text.startsWith("### Gate\n\n❌ **Release gate failed**: 1 of 5 checks failed · approvals 1/1\n"),
    ).toBe(true);
    const failing = text.indexOf("| ❌ |");
    const passing = text.indexOf("| ✅ |");
    expect(failing).toBeGreaterThan(0);
    expect(passing).toBeGreaterThan(failing);
    expect(text).toContain("<details><summary>3 passing checks</summary>");
    expect(text).toContain("**Approvals** ✅ Approved by octocat \\(1 of 1 required\\)");
  });

  it("escapes data-derived text so it cannot ping, inject HTML or break the table", () => {
    const text = renderGateSection(hostileGate([]));
    expect(text).not.toContain("@everyone");
    expect(text).not.toContain("<img>");
    expect(text).toContain("@\u2060everyone &lt;img&gt;\\|x");
    expect(text).not.toMatch(/@acme/);
    expect(text).toContain(
      "**Approvals** ⏳ Waiting for 1 approval from octocat or @\u2060acme/risk\\-leads",
    );
    for (const row of text.split("\n").filter((line) => line.startsWith("| "))) {
      expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(8);
    }
  });

  it("says which reviews did not count", () => {
    const old = [{ ...APPROVED.reviews[0]!, commitId: "old1234567" }];
    expect(renderGateSection(hostileGate(old))).toContain(
      "Not counted: octocat (approved an older commit old1234; approve again on head)",
    );
  });

  it("stays within its byte budget, cutting tables visibly", () => {
    const evaluation = evaluationJson();
    evaluation.slices = Array.from({ length: 2000 }, (_, i) => ({
      key: { region: `R${i}` },
      n: 100,
      suppressed: false,
      metrics: { roc_auc: { value: i % 2 === 0 ? 0.5 : 0.9, ci: null } },
    }));
    const result = evaluateGate({
      manifest: manifestWithGate({ rules: [{ metric: "roc_auc", min: 0.8, slices: "all" }] }),
      results: { evaluation },
      artefactSha256: SHA,
    });
    const text = renderGateSection(result, 20_000);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(20_000);
    expect(text).toMatch(/…and \d+ more checks not shown \(see gate\.json\)\./);
  });
});
