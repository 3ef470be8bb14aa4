import { describe, expect, it } from "vitest";
import { evaluationJson, gateOn, withBaseline } from "./gate-fixtures.test-helper.js";

const rule = { metric: "roc_auc", "max-drop": 0.01, vs: "baseline", confidence: 0.95 } as const;

/** Records a simultaneous interval on the overall roc_auc delta of a fixture file. */
function withAdjusted(file: ReturnType<typeof withBaseline>, ci: [number, number]) {
  Object.assign(file.baseline!.overall.delta.roc_auc!, { ciAdjusted: ci });
  return file;
}

describe("change rules with confidence: and simultaneous intervals", () => {
  it("decide on ciAdjusted, controlled across the report, when evaluation.json records it", () => {
    // The per-change interval alone would fail the rule; the simultaneous one does not.
    const base = withBaseline(evaluationJson(), { roc_auc: -0.02 }, { roc_auc: [-0.04, -0.015] });
    const file = withAdjusted(base, [-0.045, -0.004]);
    const [check] = gateOn([rule], file).rules.filter((c) => c.rule === 0);
    expect(check!.status).toBe("pass");
    expect(check!.reason).toBe(
      "overall: roc_auc 0.86 → 0.84, drop 0.02, beyond 0.01 on the point change but not significantly: the simultaneous 95% interval of the drop is [0.004, 0.045]",
    );
  });

  it("fail when even the simultaneous interval is a drop beyond the limit", () => {
    const base = withBaseline(evaluationJson(), { roc_auc: -0.03 }, { roc_auc: [-0.04, -0.02] });
    const file = withAdjusted(base, [-0.045, -0.012]);
    const [check] = gateOn([rule], file).rules.filter((c) => c.rule === 0);
    expect(check!.status).toBe("fail");
    expect(check!.reason).toContain("the simultaneous 95% interval of the drop is [0.012, 0.045]");
  });
});
