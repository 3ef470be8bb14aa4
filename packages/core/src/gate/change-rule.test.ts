import { describe, expect, it } from "vitest";
import { evaluationJson, gateOn, withBaseline } from "./gate-fixtures.test-helper.js";

const TOLERANCE = 1e-9;
const onlyRule = (result: ReturnType<typeof gateOn>) => result.rules.filter((c) => c.rule === 0);

describe("change rules", () => {
  it("judges the point change without confidence", () => {
    const file = withBaseline(evaluationJson(), { roc_auc: -0.02 });
    const fail = onlyRule(gateOn([{ metric: "roc_auc", "max-drop": 0.01, vs: "baseline" }], file));
    expect(fail).toHaveLength(1);
    expect(fail[0]).toMatchObject({ id: "change-max-drop", status: "fail", limit: 0.01 });
    expect(fail[0]!.value).toBeCloseTo(0.02, 9);
    expect(fail[0]!.reason).toBe("overall: roc_auc 0.86 → 0.84, drop 0.02, beyond 0.01");
    const pass = onlyRule(gateOn([{ metric: "roc_auc", "max-drop": 0.03, vs: "baseline" }], file));
    expect(pass[0]!.status).toBe("pass");
  });

  it("passes a point drop beyond the limit when the interval says it is not significant", () => {
    const file = withBaseline(evaluationJson(), { roc_auc: -0.02 }, { roc_auc: [-0.035, 0.005] });
    const [check] = onlyRule(
      gateOn([{ metric: "roc_auc", "max-drop": 0.01, vs: "baseline", confidence: 0.95 }], file),
    );
    expect(check!.status).toBe("pass");
    expect(check!.reason).toBe(
      "overall: roc_auc 0.86 → 0.84, drop 0.02, beyond 0.01 on the point change but not significantly: the 95% interval of the drop is [-0.005, 0.035]",
    );
  });

  it("fails when the whole interval is a drop beyond the limit", () => {
    const file = withBaseline(evaluationJson(), { roc_auc: -0.02 }, { roc_auc: [-0.04, -0.015] });
    const [check] = onlyRule(
      gateOn([{ metric: "roc_auc", "max-drop": 0.01, vs: "baseline", confidence: 0.95 }], file),
    );
    expect(check!.status).toBe("fail");
    expect(check!.reason).toContain("beyond 0.01 with confidence");
  });

  it("says when the recorded interval's level differs from the rule's", () => {
    const file = {
      ...withBaseline(evaluationJson(), { roc_auc: -0.02 }, { roc_auc: [-0.03, -0.012] }),
      confidence: 0.9,
    };
    const [check] = onlyRule(
      gateOn([{ metric: "roc_auc", "max-drop": 0.01, vs: "baseline", confidence: 0.95 }], file),
    );
    expect(check!.status).toBe("fail");
    expect(check!.reason).toContain("(recorded at 90%, the rule asks 95%)");
  });

  it("falls back to the point change, saying so, when no interval was recorded", () => {
    const file = withBaseline(evaluationJson(), { roc_auc: -0.02 });
    const [check] = onlyRule(
      gateOn([{ metric: "roc_auc", "max-drop": 0.01, vs: "baseline", confidence: 0.95 }], file),
    );
    expect(check!.status).toBe("fail");
    expect(check!.reason).toContain("judged on the point change");
  });

  it("measures a relative drop against the baseline value", () => {
    const file = evaluationJson();
    file.overall.metrics.roc_auc!.value = 0.76;
    const shifted = withBaseline(file, { roc_auc: -0.04 }); // 0.8 → 0.76: a 5% drop
    const fail = onlyRule(
      gateOn([{ metric: "roc_auc", "max-drop-relative": 0.04, vs: "baseline" }], shifted),
    );
    expect(fail[0]!.status).toBe("fail");
    expect(Math.abs((fail[0]!.value as number) - 0.05)).toBeLessThan(TOLERANCE);
    expect(fail[0]!.reason).toBe("overall: roc_auc 0.8 → 0.76, drop 5%, beyond 4%");
    const pass = onlyRule(
      gateOn([{ metric: "roc_auc", "max-drop-relative": 0.06, vs: "baseline" }], shifted),
    );
    expect(pass[0]!.status).toBe("pass");
  });

  it("reads a rise of a lower-is-better metric as a drop", () => {
    const rule = { metric: "log_loss", "max-drop": 0.03, vs: "baseline" };
    const worse = onlyRule(gateOn([rule], withBaseline(evaluationJson(), { log_loss: 0.05 })));
    expect(worse[0]!.status).toBe("fail");
    expect(worse[0]!.value).toBeCloseTo(0.05, 9);
    const better = onlyRule(gateOn([rule], withBaseline(evaluationJson(), { log_loss: -0.05 })));
    expect(better[0]).toMatchObject({
      status: "pass",
      reason: "overall: log_loss 0.45 → 0.4, no drop, within 0.03",
    });

    const withCi = (ci: [number, number]) =>
      onlyRule(
        gateOn(
          [{ ...rule, "max-drop": 0.005, confidence: 0.95 }],
          withBaseline(evaluationJson(), { log_loss: 0.05 }, { log_loss: ci }),
        ),
      );
    expect(withCi([0.01, 0.09])[0]!.status).toBe("fail");
    expect(withCi([-0.01, 0.09])[0]!.status).toBe("pass");
  });

  it("checks each slice against the same slice of the baseline", () => {
    const file = withBaseline(evaluationJson(), { recall: -0.01 });
    file.baseline!.slices[1]!.metrics.recall!.value = 0.75; // SA: 0.75 → 0.68
    file.baseline!.slices[1]!.delta!.recall!.value = 0.68 - 0.75;
    const checks = onlyRule(
      gateOn([{ metric: "recall", slices: ["region"], "max-drop": 0.03, vs: "baseline" }], file),
    );
    expect(checks.map((c) => c.status)).toEqual(["pass", "fail", "skip"]);
  });

  it("recomputes the delta and fails a file whose recorded delta was edited", () => {
    const file = withBaseline(evaluationJson(), { roc_auc: -0.05 });
    file.baseline!.overall.delta.roc_auc!.value = 0.01; // claims an improvement
    const [check] = onlyRule(gateOn([{ metric: "roc_auc", "max-drop": 0.1, vs: "baseline" }], file));
    expect(check!.status).toBe("fail");
    expect(check!.reason).toContain("records a roc_auc delta of 0.01");
  });

  it("skips change rules for a first version and says so", () => {
    const result = gateOn(
      [
        { metric: "roc_auc", min: 0.8 },
        { metric: "roc_auc", "max-drop": 0.01, vs: "baseline" },
      ],
      { ...evaluationJson(), baseline: null, baselineNote: "no production release yet" },
    );
    expect(result.status).toBe("pass");
    expect(result.rules.find((c) => c.rule === 1)).toMatchObject({ status: "skip", id: "change-max-drop" });
    expect(result.reasons).toContain(
      "First version: 1 change rule skipped, there is no baseline to compare with",
    );
  });
});
