import { describe, expect, it } from "vitest";
import { evaluationJson, gateOn } from "./gate-fixtures.test-helper.js";

const TOLERANCE = 1e-12;

describe("value rules", () => {
  it("passes and fails a minimum on the overall value", () => {
    const pass = gateOn([{ metric: "roc_auc", min: 0.8 }], evaluationJson());
    expect(pass.status).toBe("pass");
    expect(pass.rules).toHaveLength(3); // the rule, and the digests of the manifest and evaluation.json
    const rule = pass.rules.find((c) => c.rule === 0)!;
    expect(rule).toMatchObject({
      id: "value-min",
      scope: "overall",
      status: "pass",
      limit: 0.8,
      comparison: "min",
    });
    expect(rule.value).toBeCloseTo(0.84, 12);

    const fail = gateOn([{ metric: "roc_auc", min: 0.9 }], evaluationJson());
    expect(fail.status).toBe("fail");
    expect(fail.rules.find((c) => c.rule === 0)).toMatchObject({
      status: "fail",
      reason: "roc_auc 0.84 < 0.9 overall",
    });
    expect(fail.reasons[0]).toBe("1 of 3 gate checks failed: roc_auc 0.84 < 0.9 overall");
  });

  it("checks each slice of the named columns, skips suppressed ones and leaves out crosses", () => {
    const result = gateOn([{ metric: "roc_auc", min: 0.8, slices: ["region"] }], evaluationJson());
    const checks = result.rules.filter((c) => c.rule === 0);
    expect(checks.map((c) => [c.scope, c.status])).toEqual([
      [{ region: "AE" }, "pass"],
      [{ region: "SA" }, "fail"],
      [{ region: "QA" }, "skip"],
    ]);
    expect(checks[1]!.reason).toBe("roc_auc 0.75 < 0.8 slice region=SA");
    expect(result.status).toBe("fail");
  });

  it("checks every slice, crosses included, with slices: all", () => {
    const result = gateOn([{ metric: "roc_auc", min: 0.7, slices: "all" }], evaluationJson());
    const failing = result.rules.filter((c) => c.status === "fail");
    expect(failing.map((c) => c.scope)).toEqual([{ region: "AE", plan: "gold" }]);
    expect(result.rules.filter((c) => c.rule === 0)).toHaveLength(4);
  });

  it("holds a lower-is-better metric to a maximum", () => {
    const result = gateOn([{ metric: "log_loss", max: 0.42, slices: ["region"] }], evaluationJson());
    const statuses = result.rules.filter((c) => c.rule === 0).map((c) => c.status);
    expect(statuses).toEqual(["pass", "fail", "skip"]);
  });

  it("lets a value equal to its limit up to float rounding pass", () => {
    const file = evaluationJson();
    file.overall.metrics.roc_auc!.value = 0.1 + 0.7; // 0.7999999999999999
    expect(Math.abs(0.8 - (0.1 + 0.7))).toBeLessThan(TOLERANCE);
    expect(gateOn([{ metric: "roc_auc", min: 0.8 }], file).status).toBe("pass");
    file.overall.metrics.roc_auc!.value = 0.8 - 1e-9;
    expect(gateOn([{ metric: "roc_auc", min: 0.8 }], file).status).toBe("fail");
  });

  it("fails a rule whose metric is undefined on a slice or overall: not evaluated blocks the gate", () => {
    const file = evaluationJson();
    file.slices[0]!.metrics.roc_auc = { value: null, ci: null, reason: "only one class" };
    const sliced = gateOn([{ metric: "roc_auc", min: 0.7, slices: ["region"] }], file);
    expect(sliced.rules.find((c) => c.rule === 0)).toMatchObject({
      status: "fail",
      reason:
        "roc_auc is undefined slice region=AE (only one class): not evaluated, which blocks the gate (if-undefined: pass on the rule accepts it)",
    });
    expect(sliced.status).toBe("fail");
    expect(sliced.reasons[0]).toMatch(/^1 of \d+ gate checks failed: roc_auc is undefined slice region=AE/);

    file.overall.metrics.roc_auc = { value: null, ci: null, reason: "only one class" };
    const overall = gateOn([{ metric: "roc_auc", min: 0.7 }], file);
    expect(overall.status).toBe("fail");
    expect(overall.rules.find((c) => c.rule === 0)?.reason).toContain("not evaluated, which blocks the gate");
  });

  it("accepts an undefined metric only where the manifest says if-undefined: pass, on the rule or the gate", () => {
    const file = evaluationJson();
    file.slices[0]!.metrics.roc_auc = { value: null, ci: null, reason: "only one class" };
    const rule = { metric: "roc_auc", min: 0.7, slices: ["region"] };
    const accepted = gateOn([{ ...rule, "if-undefined": "pass" }], file);
    expect(accepted.status).toBe("pass");
    expect(accepted.rules.find((c) => c.rule === 0)).toMatchObject({
      status: "skip",
      reason:
        "roc_auc is undefined slice region=AE (only one class): not evaluated, accepted by if-undefined: pass",
    });
    expect(accepted.reasons.some((r) => r.startsWith("2 checks skipped (counted as passed)"))).toBe(true);
    expect(gateOn([rule], file, { "if-undefined": "pass" }).status).toBe("pass");
    // The rule's own choice wins over the gate's.
    expect(gateOn([{ ...rule, "if-undefined": "fail" }], file, { "if-undefined": "pass" }).status).toBe(
      "fail",
    );
  });
});
